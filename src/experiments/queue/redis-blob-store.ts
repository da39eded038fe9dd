import type { Redis } from "ioredis";
import { sha256Of } from "../folder-blob-store.js";
import type { BlobStore } from "../trial.js";
import { blobIndexKey, blobKey } from "./keys.js";
import { QueueError } from "./queue-error.js";

/** The default of `--queue-max-file-mb`: a file above it is refused before it is sent. */
export const DEFAULT_MAX_FILE_MB = 64;

/**
 * An experiment's files in Redis, by sha256: the coordinator puts each once,
 * workers on any machine get them. Content is checked against its address
 * on the way out, so a worker never trains on damaged data.
 */
export class RedisBlobStore implements BlobStore {
  constructor(
    private readonly redis: Redis,
    readonly experiment: string,
    readonly maxFileBytes: number = DEFAULT_MAX_FILE_MB * 2 ** 20,
  ) {}

  put(content: Buffer): Promise<string> {
    return this.putFile(content, "a file");
  }

  /** Stores `content` unless it is already there; `what` names it if it is too large (`data file data/x.csv`). */
  async putFile(content: Buffer, what: string): Promise<string> {
    if (content.length > this.maxFileBytes) {
      throw new QueueError(
        `${what} is ${size(content.length)}, above the queue's limit of ${size(this.maxFileBytes)} per file: ` +
          `trials on a queue carry their data through Redis. Raise the limit with --queue-max-file-mb, or run without --queue`,
      );
    }
    const sha256 = sha256Of(content);
    const key = blobKey(this.experiment, sha256);
    // Checked first so that a restarted coordinator does not send large files again.
    if ((await this.redis.exists(key)) === 0) await this.redis.set(key, content);
    await this.redis.sadd(blobIndexKey(this.experiment), key);
    return sha256;
  }

  async get(sha256: string): Promise<Buffer> {
    const content = await this.redis.getBuffer(blobKey(this.experiment, sha256));
    if (content === null) {
      throw new Error(`the queue holds no file ${sha256} for experiment ${this.experiment}: its coordinator removed it or never stored it`);
    }
    if (sha256Of(content) !== sha256) throw new Error(`the queue's file ${sha256} for experiment ${this.experiment} is damaged (its content has another sha256)`);
    return content;
  }

  /** Deletes every file of the experiment: done when all its trials are recorded. */
  async removeAll(): Promise<void> {
    const index = blobIndexKey(this.experiment);
    const keys = await this.redis.smembers(index);
    if (keys.length > 0) await this.redis.del(...keys);
    await this.redis.del(index);
  }
}

function size(bytes: number): string {
  if (bytes < 2 ** 20) return `${Math.ceil(bytes / 2 ** 10)} KiB`;
  return `${(bytes / 2 ** 20).toFixed(1).replace(/\.0$/, "")} MiB`;
}
