import * as tf from "@tensorflow/tfjs";
import { locateDataFile } from "../../shared/tabular/index.js";
import type { Dataset, DataSpec } from "./dataset.js";
import { datasetFingerprint } from "./fingerprint.js";
import { loadData } from "./load.js";

/** The data a resumed run goes on with, the SHA-256 of its rows, and whether it came from the folder where the run started. */
export interface RecordedData {
  data: Dataset;
  fingerprint: string;
  fromWhereStarted: boolean;
}

/**
 * The data of a run whose `run.json` records its SHA-256: as the program
 * finds it, unless that is other data than the run started with and the
 * folder where the run started holds the run's own. A run folder moved
 * beside another file of the same name (a newer copy of the data) then
 * goes on with the data it started with; with neither file the run's own,
 * the data returned is the program's, which the caller refuses.
 */
export async function loadRecordedData(spec: DataSpec, sha256: string): Promise<RecordedData> {
  const data = await loadData(spec);
  const fingerprint = datasetFingerprint(data);
  const fromStart = fingerprint === sha256 ? undefined : readingWhereStarted(spec);
  if (fromStart === undefined) return { data, fingerprint, fromWhereStarted: false };
  let there: Dataset;
  try {
    there = await loadData(fromStart);
  } catch {
    // That file is not the run's data either: the refusal names the program's.
    return { data, fingerprint, fromWhereStarted: false };
  }
  const thereFingerprint = datasetFingerprint(there);
  if (thereFingerprint !== sha256) {
    disposeDataset(there);
    return { data, fingerprint, fromWhereStarted: false };
  }
  disposeDataset(data);
  return { data: there, fingerprint: thereFingerprint, fromWhereStarted: true };
}

/**
 * The spec reading its file from the folder where the run started, where
 * the program found the file in its own place and that folder holds
 * another file of that name; undefined otherwise.
 */
export function readingWhereStarted(spec: DataSpec): DataSpec | undefined {
  const { source } = spec;
  if (source.kind === "mnist" || source.startedIn === undefined) return undefined;
  const [here, there] = [locateDataFile(source.path, source.specFolder), locateDataFile(source.path, source.startedIn)];
  if (here === undefined || there === undefined || here.file === there.file) return undefined;
  return { ...spec, source: { kind: source.kind, path: source.path, specFolder: source.startedIn } };
}

function disposeDataset(data: Dataset): void {
  tf.dispose(Object.values(data.splits).flatMap((split) => [split.x, ...Object.values(split.targets)]));
}
