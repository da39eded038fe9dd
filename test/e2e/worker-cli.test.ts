import { mkdtempSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, startRegc } from "./support.js";

/** `regc worker` misused: one line saying what is wrong, exit 2, no waiting. */

const work = mkdtempSync(join(ROOT, ".scratch-worker-cli-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("regc worker", () => {
  it.each([
    [[], /needs `--queue URL`/],
    [["--queue", "redis://127.0.0.1:1", "spec.reg"], /takes no files \(it got spec\.reg\)/],
    [["--queue", "127.0.0.1:6379"], /`127\.0\.0\.1:6379` is not a queue URL; write it as redis:\/\//],
    [["--queue", "redis://127.0.0.1:6379/queue"], /path `\/queue` must be a database number/],
    [["--queue", "redis://127.0.0.1:1", "--concurrency", "0"], /--concurrency needs a whole number ≥ 1, not `0`/],
    [["--queue", "redis://127.0.0.1:1", "--lock-seconds", "soon"], /--lock-seconds needs a number of seconds above 0/],
    [["--queue", "redis://127.0.0.1:1", "--reconnect-seconds", "0"], /--reconnect-seconds needs a number of seconds above 0/],
    [["--queue", "redis://:secret@127.0.0.1:1"], /^regc: error: cannot use the queue at redis:\/\/:\*\*\*@127\.0\.0\.1:1: nothing accepts connections at 127\.0\.0\.1:1 .*is redis-server running there/],
  ])("refuses %j", async (args, message) => {
    const result = await startRegc(["worker", ...args], work);
    expect(result.stderr).toMatch(message);
    expect(result.stderr).not.toContain("secret");
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.code).toBe(2);
  });
});
