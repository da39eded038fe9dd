import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { ROOT, startRegc } from "./support.js";

/** Flags `regc run --resume` cannot honour are refused before anything is read, rather than ignored. */

const scratch = mkdtempSync(join(ROOT, ".scratch-resume-flags-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("--runs with --resume is a usage error: the run continues in its own folder", async () => {
  const run = await startRegc(["run", "--resume", "runs/x-20260101-000000", "--runs", "elsewhere"], scratch);
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toContain("regc: error: `--resume` continues a run in its own folder, and `--runs` is where new runs go: drop `--runs`");
  expect(readdirSync(scratch)).toEqual([]);
});
