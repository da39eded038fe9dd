import type { FolderBlobStore } from "../folder-blob-store.js";
import type { BlobStore } from "../trial.js";

/**
 * A worker's copy of the files it fetched: every trial of an experiment
 * reads the same data, which then crosses the network once per worker
 * rather than once per trial.
 */
export class CachedBlobStore implements BlobStore {
  constructor(
    private readonly remote: BlobStore,
    private readonly cache: FolderBlobStore,
  ) {}

  put(content: Buffer): Promise<string> {
    return this.remote.put(content);
  }

  async get(sha256: string): Promise<Buffer> {
    try {
      return await this.cache.get(sha256);
    } catch {
      const content = await this.remote.get(sha256);
      await this.cache.put(content);
      return content;
    }
  }
}
