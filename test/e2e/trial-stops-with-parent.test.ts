import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { digitsSpec } from "../support/digits-spec.js";
import { ROOT, startRegc } from "./support.js";

/**
 * A trial is a `regc run` process of the pool that started it: when the pool
 * dies (SIGKILL, nothing cleaned up), the trial notices its channel close
 * and stops after its step with a checkpoint, instead of training on.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-trial-parent-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Long enough that the pool is killed mid-training: 500 epochs of batches of 4. */
const SPEC = digitsSpec({ split: { train: 2000, val: 100, test: 100 }, hiddenUnits: 16, optimizer: "sgd(lr: 0.05)", epochs: 500, batch: 4, regularize: ["l2(1e-4) on *.kernel"] });

/** The checkpoint state files under `folder`, at any depth. */
function checkpointStates(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder, { recursive: true, encoding: "utf8" })
    .filter((path) => /checkpoint[/\\]\d+[/\\]state\.json$/.test(path))
    .map((path) => join(folder, path));
}

function running(pid: number): boolean {
  try {
    return !readFileSync(join("/proc", String(pid), "stat"), "utf8").includes(") Z ");
  } catch {
    return false;
  }
}

/** Processes whose command line names `text`. */
function processesNaming(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(join("/proc", pid, "cmdline"), "utf8").includes(text);
      } catch {
        return false;
      }
    })
    .map(Number)
    .filter(running);
}

describe("a trial whose pool is killed", () => {
  it("stops after its step with a checkpoint, not an epoch later", async () => {
    writeFileSync(join(scratch, "digits.reg"), SPEC);
    const out = join(scratch, "ablations");
    let trials: number[] = [];
    let watching = false;
    const pool = await startRegc(["ablate", "digits.reg", "--arms", "l2", "--seeds", "1", "--workers", "1", "--backend", "wasm", "--out", out], scratch, (_stderr, child) => {
      if (watching) return;
      watching = true;
      // The pool prints nothing per epoch: wait for the trial's first checkpoint, then kill the pool mid-epoch.
      const poll = setInterval(() => {
        if (checkpointStates(out).length === 0) return;
        clearInterval(poll);
        trials = processesNaming(`${out}/`).filter((pid) => pid !== child.pid);
        child.kill("SIGKILL");
      }, 100);
    });
    expect(pool.code).toBe(null);
    expect(trials.length).toBeGreaterThan(0);
    for (let waited = 0; waited < 300 && trials.some(running); waited++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(trials.filter(running)).toEqual([]);
    // Stopped after a step: its last checkpoint is in the middle of an epoch (500 steps each), which only a stop writes.
    const states = checkpointStates(out).map((path) => JSON.parse(readFileSync(path, "utf8")) as { epoch: number; stepsDone: number; epochEnded: boolean });
    const last = states.sort((a, b) => a.epoch - b.epoch || a.stepsDone - b.stepsDone).at(-1)!;
    expect(last.epochEnded).toBe(false);
    expect(last.epoch).toBeLessThan(500);
  }, 180_000);
});
