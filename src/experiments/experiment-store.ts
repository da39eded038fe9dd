import { rmSync } from "node:fs";
import { join } from "node:path";
import { FolderBlobStore } from "./folder-blob-store.js";

/** Where an experiment keeps its copy of the data files its trials read. */
function storeFolder(experimentFolder: string): string {
  return join(experimentFolder, ".blobs");
}

/**
 * The experiment's copy of its data files, which trials are given from: in
 * its folder, whichever engine runs them, so an experiment started on one
 * engine can resume on the other.
 */
export function experimentStore(experimentFolder: string): FolderBlobStore {
  return new FolderBlobStore(storeFolder(experimentFolder));
}

/** Removes the copy once the experiment is complete: no trial of it runs again. One still incomplete keeps it. */
export function removeExperimentStore(experimentFolder: string): void {
  rmSync(storeFolder(experimentFolder), { recursive: true, force: true });
}
