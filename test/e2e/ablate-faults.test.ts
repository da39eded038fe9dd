import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { AblationDocument } from "../../src/experiments/ablation/document.js";
import { RUN_LOCK_FILE } from "../../src/runtime/run/run-lock.js";
import { digitsSpec } from "../support/digits-spec.js";
import { EXAMPLES, readJson, ROOT, startRegc } from "./support.js";

/** `regc ablate` when things go wrong: a diverging trial, Ctrl-C and --resume, mistakes on the command line. */

const scratch = mkdtempSync(join(ROOT, ".scratch-ablate-faults-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** The digit MLP with an l2 of the given strength and a max-norm: two clauses to remove. */
function digits(l2: string): string {
  return digitsSpec({ hiddenUnits: 16, regularize: [`l2(${l2}) on *.kernel`, "maxnorm(2) on h.kernel"] });
}

function spec(name: string, text: string): string {
  writeFileSync(join(scratch, `${name}.reg`), text);
  return `${name}.reg`;
}

describe("regc ablate, faults", () => {
  it("records a diverging trial with its reason and finishes the others", async () => {
    const run = await startRegc(["ablate", spec("diverge", digits("1e38")), "--arms", "l2", "--seeds", "2", "--workers", "2", "--backend", "wasm", "--out", join(scratch, "diverge")], scratch);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/full@seed0: diverged: the training loss became (NaN|infinite)/);
    expect(run.stdout).toMatch(/^full +— +— +— +failed: seed 0: diverged: the training loss became/m);
    expect(run.stdout).toMatch(/^without l2\(1e38\) on \*\.kernel +0\.\d+ ± 0\.\d+ +0\.\d+ +0\.\d+$/m);
    expect(run.stdout).toMatch(/^l2\(1e38\) on \*\.kernel +— +— +unclear$/m);
    const folder = resolve(scratch, /→ (.+)\n/.exec(run.stderr)![1]!);
    const document = readJson<AblationDocument>(join(folder, "ablation.json"));
    expect(document.complete).toBe(true);
    expect(document.trials.map((t) => `${t.id} ${t.status}`)).toEqual(["full@seed0 diverged", "full@seed1 diverged", "without-l2@seed0 ok", "without-l2@seed1 ok"]);
  }, 120_000);

  it("exits 2 with the reason when every trial failed, as when the backend cannot start", async () => {
    // tfjs-node is no dependency of reglang: it starts on no clone of it.
    const run = await startRegc(["ablate", spec("no-backend", digits("1e-4")), "--arms", "l2", "--seeds", "1", "--workers", "2", "--backend", "tfjs-node", "--out", join(scratch, "no-backend")], scratch);
    expect(run.code, run.stderr).toBe(2);
    expect(run.stderr).toMatch(/^regc: error: every trial failed: .*tfjs-node/m);
    expect(run.stdout).toMatch(/^full +— +— +failed: seed 0: /m);
    expect(run.stderr).toContain("2 arms × 1 seed, 2 trials to run");
  }, 120_000);

  it("Ctrl-C stops with 130 keeping finished trials; --resume runs only the missing ones", async () => {
    const out = join(scratch, "resume");
    const args = ["ablate", spec("resume", digits("1e-4")), "--arms", "l2", "--seeds", "2", "--workers", "1", "--backend", "wasm", "--out", out];
    let interrupted = false;
    const first = await startRegc(args, scratch, (soFar, child) => {
      if (!interrupted && soFar.includes("[1/4]")) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    expect(first.code, first.stderr).toBe(130);
    expect(first.stdout).toContain("incomplete: continue with `regc ablate --resume");
    const folder = join(out, readdirSync(out)[0]!);
    const stopped = readJson<AblationDocument>(join(folder, "ablation.json"));
    expect(stopped.complete).toBe(false);
    const kept = stopped.trials.map((t) => t.id);
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept.length).toBeLessThan(4);
    const keptHistory = readFileSync(join(folder, "trials", kept[0]!, "history.json"), "utf8");

    const resumed = await startRegc(["ablate", "--resume", folder, "--format", "json"], scratch);
    expect(resumed.code, resumed.stderr).toBe(0);
    const missing = 4 - kept.length;
    expect(resumed.stderr).toContain(missing === 1 ? "1 trial to run" : `${missing} trials to run`);
    for (const id of kept) expect(resumed.stderr).not.toContain(`] ${id}:`);
    const document = JSON.parse(resumed.stdout) as AblationDocument;
    expect(document.complete).toBe(true);
    expect(document.trials.map((t) => t.id)).toEqual(["full@seed0", "full@seed1", "without-l2@seed0", "without-l2@seed1"]);
    expect(readFileSync(join(folder, "trials", kept[0]!, "history.json"), "utf8")).toBe(keptHistory);
  }, 120_000);

  it("files a trial whose run was killed with SIGKILL as failed, without the claim on its folder the run could not let go of", async () => {
    const out = join(scratch, "killed");
    let killed: number | undefined;
    const run = await startRegc(
      ["ablate", spec("killed", digitsSpec({ hiddenUnits: 16, epochs: 20, regularize: ["l2(1e-4) on *.kernel"] })), "--seeds", "1", "--workers", "1", "--backend", "wasm", "--out", out],
      scratch,
      (soFar, child) => {
        if (killed !== undefined || !soFar.includes("trials to run")) return;
        // The first trial's run, as the system's out-of-memory killer would end it, once it has claimed its folder and started.
        const timer = setInterval(() => {
          const lock = readdirSync(out, { recursive: true }).map(String).find((path) => path.endsWith(RUN_LOCK_FILE));
          if (lock === undefined || !existsSync(join(out, dirname(lock), "run.json")) || child.exitCode !== null) return;
          clearInterval(timer);
          killed = Number(readFileSync(join(out, lock), "utf8"));
          process.kill(killed, "SIGKILL");
        }, 20);
      },
    );
    expect(run.code, run.stderr).toBe(0);
    expect(killed).toBeGreaterThan(0);
    const folder = resolve(scratch, /→ (.+)\n/.exec(run.stderr)![1]!);
    const document = readJson<AblationDocument>(join(folder, "ablation.json"));
    expect(document.trials.map((t) => `${t.id} ${t.status}`)).toEqual(["full@seed0 failed", "without-l2@seed0 ok"]);
    const kept = readdirSync(join(folder, "trials", "full@seed0"));
    expect(kept).toContain("run.json");
    expect(kept).not.toContain(RUN_LOCK_FILE);
  }, 120_000);

  it.each([
    [["--queue", "redis://127.0.0.1:1"], "cannot use the queue at redis://127.0.0.1:1: nothing accepts connections"],
    [["--arms", "dropout"], "--arms: no arm `dropout`; the arms are full, without-l2, without-maxnorm, none"],
    [["--seeds", "0"], "--seeds needs a whole number from 1 to 1000"],
    [["--workers", "two"], "--workers needs a whole number from 1 to 1024"],
    [["--metric", "test_f1"], "no metric `test_f1`"],
  ])("refuses %j as a usage error", async (extra, message) => {
    const run = await startRegc(["ablate", spec("usage", digits("1e-4")), "--out", join(scratch, "usage"), ...extra], scratch);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it("refuses --epochs fewer than a snapshot ensemble's cycles before any trial, as each would be refused", async () => {
    const text = digitsSpec({ hiddenUnits: 16, epochs: 4, regularize: ["l2(1e-4) on *.kernel", "snapshot_ensemble(cycles: 3)"] });
    const out = join(scratch, "snapshots");
    const run = await startRegc(["ablate", spec("snapshots", text), "--epochs", "2", "--out", out], scratch);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--epochs 2 is fewer than snapshot_ensemble's 3 cycles; use --epochs 3 or more, or fewer cycles");
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(existsSync(out)).toBe(false);
  });

  it("refuses a spec with nothing to remove or no clause it can remove, and a resume of a folder that is not an ablation", async () => {
    const bare = await startRegc(["ablate", spec("bare", digitsSpec({ hiddenUnits: 16 }))], scratch);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("has no regularize clause to remove");
    const out = join(scratch, "ridge");
    const ridge = await startRegc(["ablate", join(EXAMPLES, "f-underconstrained-ridge.reg"), "--out", out], scratch);
    expect(ridge.code).toBe(2);
    expect(ridge.stderr).toMatch(/no clause of .*f-underconstrained-ridge\.reg can be removed, as the spec left would have errors; there is nothing to measure the full spec against:\n {2}l2\(0\.1\) on out\.kernel: error\[REG4006\]/);
    expect(existsSync(out)).toBe(false);
    const notOne = await startRegc(["ablate", "--resume", scratch], scratch);
    expect(notOne.code).toBe(2);
    expect(notOne.stderr).toContain("ablation.json");
  });
});
