import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { FolderBlobStore } from "../../../src/experiments/folder-blob-store.js";
import { trialsAtOnceOf } from "../../../src/experiments/queue/keys.js";
import { QueueEngine } from "../../../src/experiments/queue/queue-engine.js";
import { parseRedisUrl } from "../../../src/experiments/queue/redis-url.js";
import { TrialWorker } from "../../../src/experiments/queue/trial-worker.js";
import { startRedis } from "../../support/redis-server.js";

const scratch = mkdtempSync(join(tmpdir(), "reglang-worker-slots-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("a coordinator counts the trials its workers run at once, not the workers, and a worker named otherwise as one", async () => {
  const server = await startRedis();
  const target = parseRedisUrl(server.url);
  const start = (concurrency: number, name: string) => TrialWorker.start(target, { concurrency, lockMs: 30_000, scratchRoot: join(scratch, name), log: () => {} });
  const workers = [await start(3, "a"), await start(2, "b")];
  const engine = await QueueEngine.open(target, { blobs: new FolderBlobStore(join(scratch, "blobs")), maxFileBytes: 2 ** 20 });
  try {
    expect(engine.concurrency).toBe(5);
    expect(engine.description).toContain("2 workers connected");
  } finally {
    await engine.close();
    for (const worker of workers) await worker.stop();
    await server.stop();
  }
  expect(trialsAtOnceOf("bull:cmVnbGFuZy10cmlhbHM=:w:trials-4")).toBe(4);
  expect(trialsAtOnceOf("bull:cmVnbGFuZy10cmlhbHM=")).toBe(1);
}, 60_000);
