import { createHash } from "node:crypto";

/** The SHA-256 of text or bytes, in hex: how a run folder tells its files from edited or damaged ones. */
export function sha256(data: string | Uint8Array): string {
  return createHash("sha256").update(data).digest("hex");
}
