import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { digitsSpec } from "../support/digits-spec.js";
import { onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/** `regc run --seed N`: the training seed from the command line, the data split from the spec. */

const scratch = mkdtempSync(join(ROOT, ".scratch-seed-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const SPEC = digitsSpec({ split: { train: 200, val: 100, test: 100 }, hiddenUnits: 16, dropout: 0.2, trainSeed: 9 });

async function trainWith(seedArgs: string[], name: string) {
  const runs = join(scratch, name);
  const run = await startRegc(["run", join(scratch, "net.reg"), "--backend", "wasm", "--runs", runs, ...seedArgs], scratch);
  expect(run.code, run.stderr).toBe(0);
  const folder = onlyRunFolder(runs);
  const history = readJson<History>(join(folder, "history.json"));
  return {
    seed: history.seed,
    curve: history.epochs.map(({ seconds: _seconds, ...rest }) => rest),
    metrics: readJson<FinalMetrics>(join(folder, "metrics.json")).splits,
  };
}

describe("regc run --seed", () => {
  writeFileSync(join(scratch, "net.reg"), SPEC);

  it("repeats a run exactly with the same seed, trains differently with another, and records the seed", async () => {
    const first = await trainWith(["--seed", "1"], "one-a");
    const again = await trainWith(["--seed", "1"], "one-b");
    const other = await trainWith(["--seed", "4294967295"], "max");
    const spec = await trainWith([], "spec");
    expect(again).toEqual(first);
    expect(first.seed).toBe(1);
    expect(other.seed).toBe(4294967295);
    expect(spec.seed).toBe(9);
    expect(other.curve[0]!.train.loss).not.toBe(first.curve[0]!.train.loss);
    expect(spec.curve[0]!.train.loss).not.toBe(first.curve[0]!.train.loss);
  }, 90_000);

  it.each(["-1", "4294967296", "1.5", "abc", ""])("refuses `--seed %s` as a usage error", async (text) => {
    const run = await startRegc(["run", join(scratch, "net.reg"), "--runs", join(scratch, "bad"), `--seed=${text}`], scratch);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("--seed needs a whole number from 0 to 4294967295");
  });

  it("resumes with the seed the run started with, and says so when given another", async () => {
    const run = await startRegc(["run", "--resume", join(scratch, "nowhere"), "--seed", "3"], scratch);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("continues a run with the seed it started with");
  });
});
