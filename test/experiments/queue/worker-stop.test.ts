import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { startRedis } from "../../support/redis-server.js";
import { startWorker } from "./support.js";

const scratch = mkdtempSync(join(tmpdir(), "reglang-worker-stop-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("stops at once on SIGTERM while its Redis is gone, where it waited for Redis to return", async () => {
  const server = await startRedis();
  const worker = startWorker(server.url, scratch);
  try {
    await worker.waitFor(/taking trials from/);
    await server.stop();
    await worker.waitFor(/queue error: .*ECONNREFUSED/);
    worker.child.kill("SIGTERM");
    const code = await Promise.race([worker.exited, new Promise<string>((resolve) => setTimeout(() => resolve("still running after 10 s"), 10_000))]);
    expect(code).toBe(130);
    expect(worker.log()).toContain("the queue cannot be reached: the running trials go back to it when this worker's locks run out");
  } finally {
    worker.kill();
  }
}, 60_000);
