import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { writeFileAtomically } from "../shared/write-file-atomically.js";
import type { BlobStore } from "./trial.js";

/** Content-addressed files in a folder (`ab/abcdef…`): the local pool's store, shared by every trial of an experiment. */
export class FolderBlobStore implements BlobStore {
  constructor(readonly folder: string) {}

  async put(content: Buffer): Promise<string> {
    const sha256 = sha256Of(content);
    const path = this.pathOf(sha256);
    if (!existsSync(path)) {
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileAtomically(path, content);
    }
    return sha256;
  }

  async get(sha256: string): Promise<Buffer> {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`\`${sha256}\` is not a sha256 in hex`);
    try {
      return readFileSync(this.pathOf(sha256));
    } catch {
      throw new Error(`no file with sha256 ${sha256} in ${this.folder}`);
    }
  }

  private pathOf(sha256: string): string {
    return join(this.folder, sha256.slice(0, 2), sha256);
  }
}

export function sha256Of(content: Buffer): string {
  return createHash("sha256").update(content).digest("hex");
}
