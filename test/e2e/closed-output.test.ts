import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import { regressionCsv, regressionSpec } from "../support/regression-spec.js";
import { onlyRunFolder, ROOT, startRegc } from "./support.js";

const scratch = mkdtempSync(join(tmpdir(), "reglang-closed-output-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

it("a run whose reader goes away (`regc run … 2>&1 | head`) stops after its step with a checkpoint that --resume continues", async () => {
  writeFileSync(join(scratch, "rows.csv"), regressionCsv(200));
  writeFileSync(join(scratch, "fit.reg"), regressionSpec("rows.csv").replace("epochs    10", "epochs    100000"));
  const runs = join(scratch, "runs");
  const child = spawn(process.execPath, [join(ROOT, "bin", "regc.js"), "run", "fit.reg", "--runs", runs], { cwd: scratch, stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, NO_COLOR: "1", CI: "1" } });
  let said = "";
  // As `head -2` does: read until the first epoch's line, then close the pipe.
  child.stderr!.on("data", (chunk: Buffer) => {
    said += chunk.toString();
    if (/^epoch 1\//m.test(said)) child.stderr!.destroy();
  });
  const code = await new Promise<number | null>((resolve) => child.on("exit", (exitCode) => resolve(exitCode)));
  expect(code, said).toBe(130);
  const folder = onlyRunFolder(runs);
  expect(existsSync(join(folder, "checkpoint"))).toBe(true);
  expect(existsSync(join(folder, "history.json"))).toBe(true);

  const resumed = await startRegc(["run", "--resume", folder, "--epochs", "50"], scratch);
  expect(resumed.code, resumed.stderr).toBe(0);
  expect(existsSync(join(folder, "metrics.json"))).toBe(true);
}, 120_000);
