import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { TuningDocument } from "../../src/experiments/tuning/document.js";
import { digitsSpec } from "../support/digits-spec.js";
import { readJson, ROOT, startRegc } from "./support.js";

/** `regc tune` end to end: real trials of a small digit MLP, each its own `regc run`. */

const scratch = mkdtempSync(join(ROOT, ".scratch-tune-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A small digit MLP whose l2 strength is searched, and its `tune` block (the block's lines given). */
function digits(l2: string, tune: string): string {
  const spec = digitsSpec({
    split: { train: 300, val: 200 },
    dataSeed: 3,
    model: "mlp",
    optimizer: "adam(lr: 3e-3)",
    epochs: 4,
    regularize: [`l2(${l2}) on *.kernel  // the searched strength`],
    after: `tune {\n${tune}\n}\n`,
  });
  return `// A small digit MLP.\n${spec}`;
}

function spec(name: string, text: string): string {
  writeFileSync(join(scratch, `${name}.reg`), text);
  return `${name}.reg`;
}

async function tune(args: string[]): Promise<{ folder: string; document: TuningDocument; stdout: string; stderr: string }> {
  const run = await startRegc(["tune", ...args, "--backend", "wasm"], scratch);
  expect(run.code, run.stderr).toBe(0);
  const folder = resolve(scratch, /→ (.+)\n/.exec(run.stderr)![1]!);
  return { folder, document: readJson<TuningDocument>(join(folder, "tuning.json")), stdout: run.stdout, stderr: run.stderr };
}

const SEARCH = "log_uniform(1e-5, 3.0)";
const halving = (extra = "") => `  trials     4\n  objective  maximize val_accuracy\n  method     halving\n  reduction  2\n  min_epochs 1${extra}`;

/** A trial as compared across runs of the same search. */
const outcome = (document: TuningDocument) => document.trials.map((t) => ({ trial: t.trial, point: t.point, objective: t.objective, epochs: t.epochs, status: t.status }));

describe("regc tune", () => {
  it("picks the choice that is certainly better, and writes a best.reg that checks, is formatted and trains", async () => {
    const file = spec("choice", digits("choice(1e-5, 10.0)", "  trials    2\n  objective maximize val_accuracy\n  method    grid"));
    const { folder, document, stdout } = await tune([file, "--workers", "2", "--out", join(scratch, "choice")]);
    expect(document.trials.map((t) => t.point["mlp.l2.alpha"])).toEqual(["1e-5", "10.0"]);
    expect(document.best?.point).toEqual({ "mlp.l2.alpha": "1e-5" });
    expect(document.trials[0]!.objective!).toBeGreaterThan(document.trials[1]!.objective! + 0.2);
    expect(stdout).toMatch(/best: trial 0, val_accuracy 0\.\d+ after 4 epochs\n {2}mlp\.l2\.alpha = 1e-5\ntrain it: regc run .*best\.reg\n$/);

    const best = join(folder, "best.reg");
    const text = readFileSync(best, "utf8");
    expect(text).toContain("  l2(1e-5) on *.kernel  // the searched strength\n");
    expect(text).not.toContain("tune");
    expect((await startRegc(["check", best], scratch)).code).toBe(0);
    expect((await startRegc(["fmt", "--check", best], scratch)).code).toBe(0);
    const trained = await startRegc(["run", best, "--epochs", "1", "--runs", join(scratch, "best-runs"), "--backend", "wasm"], scratch);
    expect(trained.code, trained.stderr).toBe(0);
    expect(readFileSync(join(folder, "report.html"), "utf8")).toContain("<svg");
  }, 180_000);

  let uninterrupted: TuningDocument;

  it("halving stops poor trials early and trains fewer epochs than random search with as many trials", async () => {
    const halved = await tune([spec("halving", digits(SEARCH, halving())), "--workers", "1", "--out", join(scratch, "halving")]);
    const random = await tune([spec("random", digits(SEARCH, "  trials    4\n  objective maximize val_accuracy\n  method    random")), "--workers", "2", "--out", join(scratch, "random")]);
    uninterrupted = halved.document;
    // The same seed draws the same points for both.
    expect(halved.document.trials.map((t) => t.point)).toEqual(random.document.trials.map((t) => t.point));
    expect(random.document.epochsTrained).toBe(16);
    expect(halved.document.epochsTrained).toBeLessThan(random.document.epochsTrained);
    const stopped = halved.document.trials.filter((t) => t.status === "stopped early");
    expect(stopped.length).toBeGreaterThanOrEqual(2);
    expect(halved.document.trials.filter((t) => t.epochs === 4).length).toBeGreaterThanOrEqual(1);
    // The worst trial after the first rung is never promoted.
    const firstRung = halved.document.runs.filter((r) => r.rung === 0);
    const worst = firstRung.reduce((a, b) => ((a.objective ?? -1) <= (b.objective ?? -1) ? a : b));
    expect(halved.document.trials[worst.trial]!.status).toBe("stopped early");
    expect(halved.document.best!.epochs).toBe(4);
  }, 300_000);

  it("interrupted and resumed, ends as the uninterrupted tuning did", async () => {
    const file = spec("resumed", digits(SEARCH, halving()));
    let interrupted = false;
    const first = await startRegc(["tune", file, "--workers", "1", "--backend", "wasm", "--out", join(scratch, "resumed")], scratch, (soFar, child) => {
      if (!interrupted && soFar.includes("[3]")) {
        interrupted = true;
        child.kill("SIGINT");
      }
    });
    expect(first.code, first.stderr).toBe(130);
    // Trials still to run may do better: the best, and the spec offered to train, are the best so far.
    expect(first.stdout).toMatch(/\nbest so far \([1-3] of 4 trials\): trial \d, val_accuracy 0\.\d+ after \d epochs?\n[^]*\ntrain the best so far: regc run \S+best\.reg\n$/);
    const folder = resolve(scratch, /→ (.+)\n/.exec(first.stderr)![1]!);
    expect(readJson<TuningDocument>(join(folder, "tuning.json")).complete).toBe(false);
    expect(existsSync(join(folder, "trials"))).toBe(true);

    const resumed = await startRegc(["tune", "--resume", folder, "--workers", "1"], scratch);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(/\nbest: trial \d, [^]*\ntrain it: regc run /);
    const document = readJson<TuningDocument>(join(folder, "tuning.json"));
    expect(document.complete).toBe(true);
    expect(outcome(document)).toEqual(outcome(uninterrupted));
    expect(document.best).toEqual(uninterrupted.best);
  }, 300_000);

  it("says what is wrong with the command line, and with a spec that does not fit the command", async () => {
    // A spec problem is exit code 1 for every command: tune of a spec without spaces, run or ablate of one with them.
    const plain = await startRegc(["tune", join(ROOT, "examples", "a-mlp-dropout-maxnorm.reg")], scratch);
    expect(plain.code).toBe(1);
    expect(plain.stderr).toContain("error[REG7003]: `regc tune` cannot search this spec: it has no search spaces, so every trial would train the same spec; train it with `regc run a-mlp-dropout-maxnorm.reg`");
    const spaced = spec("spaced", digits(SEARCH, halving()));
    for (const command of ["run", "ablate"]) {
      const refused = await startRegc([command, spaced], scratch);
      expect(refused.code, `regc ${command}`).toBe(1);
      expect(refused.stderr).toContain("spaced.reg:25:6: error[REG7002]: this spec has search spaces, so it describes many runs: train it with `regc tune spaced.reg`");
    }
    const resume = await startRegc(["tune", "--resume", join(scratch, "nowhere")], scratch);
    expect(resume.code).toBe(2);
    expect(resume.stderr).toContain("cannot read");
  }, 60_000);
});
