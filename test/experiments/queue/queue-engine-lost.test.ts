import { afterAll, expect, it, vi } from "vitest";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FolderBlobStore } from "../../../src/experiments/folder-blob-store.js";
import { QueueEngine } from "../../../src/experiments/queue/queue-engine.js";
import { parseRedisUrl } from "../../../src/experiments/queue/redis-url.js";
import { startRedis } from "../../support/redis-server.js";

/** A coordinator whose Redis goes away mid-experiment: its connection retries quietly, and `run` says once when it gives up. */

const scratch = mkdtempSync(join(tmpdir(), "reglang-queue-lost-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("prints no stack trace while it reconnects to a Redis that stopped", async () => {
  const server = await startRedis();
  const engine = await QueueEngine.open(parseRedisUrl(server.url), { blobs: new FolderBlobStore(scratch), maxFileBytes: 2 ** 20 });
  const printed = vi.spyOn(console, "error").mockImplementation(() => {});
  try {
    await server.stop();
    // The first reconnection attempts come 0.5 s and 1 s after the connection drops.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(printed).not.toHaveBeenCalled();
  } finally {
    printed.mockRestore();
    await engine.close();
  }
}, 30_000);
