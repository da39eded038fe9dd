import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { saveCheckpoint } from "../../src/runtime/run/checkpoint.js";
import { sha256 } from "../../src/runtime/run/sha256.js";
import { RunFolderError } from "../../src/runtime/run/run-folder-error.js";
import { writeRunRecord, type RunRecord } from "../../src/runtime/run/run-record.js";
import { continuation, noCheckpoint } from "../../src/runtime/session/resume.js";
import { TrainingStopped } from "../../src/runtime/train/faults.js";
import type { TrainerState } from "../../src/runtime/train/trainer.js";

beforeAll(async () => {
  await selectBackend("cpu");
});

/** What `--resume` checks before it loads anything: the same program, spec and seeds, a checkpoint, work left to do. */

const PROGRAM = "export async function main() {}\n";
const SPEC = "train {\n  epochs 10\n}\n";
const identity = { spec: "a.reg", name: "a", seed: 7, code: "file:///nowhere/a.ts" };

function runFolder(change: Partial<RunRecord> = {}): string {
  const folder = mkdtempSync(join(tmpdir(), "reglang-resume-"));
  writeFileSync(join(folder, "a.reg"), SPEC);
  mkdirSync(join(folder, "checkpoint"));
  writeRunRecord(folder, { spec: "a.reg", seed: 7, programSha256: sha256(PROGRAM), specFile: { name: "a.reg", sha256: sha256(SPEC) }, options: { epochs: 4, backend: "cpu" }, ...change });
  return folder;
}

function refusal(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("not refused");
}

describe("continuing a run", () => {
  it("keeps the options it started with unless given again, and reads its spec from the folder", () => {
    const folder = runFolder();
    expect(continuation(folder, identity, { resume: folder }, PROGRAM).options).toEqual({ resume: folder, epochs: 4, backend: "cpu" });
    const overridden = continuation(folder, identity, { resume: folder, epochs: 6 }, PROGRAM);
    expect(overridden.options.epochs).toBe(6);
    expect(overridden.record.options).toEqual({ epochs: 6, backend: "cpu" });
    expect(overridden.specText).toBe(SPEC);
  });

  it("refuses another spec, another seed, an edited program or an edited spec copy", () => {
    const folder = runFolder();
    const cases: Array<[() => unknown, string]> = [
      [() => continuation(folder, { ...identity, spec: "b.reg" }, {}, PROGRAM), "is a run of a.reg, not of b.reg"],
      [() => continuation(folder, identity, { seed: 8 }, PROGRAM), "started with seed 7, not 8: a run continues with the seed it started with"],
      [() => continuation(folder, identity, {}, `${PROGRAM}// edited\n`), "the program differs from the one"],
    ];
    for (const [run, message] of cases) {
      const error = refusal(run);
      expect(error).toBeInstanceOf(RunFolderError);
      expect(error.message).toContain(message);
    }
    writeFileSync(join(folder, "a.reg"), SPEC.replace("10", "20"));
    expect(refusal(() => continuation(folder, identity, {}, PROGRAM)).message).toContain(`${join(folder, "a.reg")} was edited after the run started`);
  });

  it("says how to start again with the --runs the run folder lies in, where that is not the default", () => {
    const elsewhere = runFolder();
    expect(noCheckpoint(elsewhere, "my spec.reg").message).toMatch(
      new RegExp(`There is nothing to continue; start it again: regc run 'my spec\\.reg' --runs ${relative(process.cwd(), dirname(elsewhere)).replaceAll(".", "\\.")}$`),
    );
    expect(refusal(() => continuation(elsewhere, identity, { seed: 8 }, PROGRAM)).message).toMatch(/start a new run instead: regc run a\.reg --runs \S+$/);
    expect(noCheckpoint(resolve("runs", "a-20260101-120000"), "a.reg").message).toMatch(/start it again: regc run a\.reg$/);
  });

  it("never reads a spec copy from outside the folder", () => {
    const folder = runFolder({ specFile: { name: "../../etc/passwd", sha256: sha256(SPEC) } });
    expect(refusal(() => continuation(folder, identity, {}, PROGRAM)).message).toContain("run.json is damaged: `specFile` should be {name, sha256}");
  });

  it("takes a recorded spec folder only as an absolute path, of either system", () => {
    const folder = runFolder({ specFolder: "data/../.." });
    expect(refusal(() => continuation(folder, identity, {}, PROGRAM)).message).toContain("run.json is damaged: `specFolder` should be an absolute path");
    expect(continuation(runFolder({ specFolder: folder }), identity, {}, PROGRAM).record.specFolder).toBe(folder);
    // A run folder started on the other system is intact: that folder only leads nowhere here.
    for (const elsewhere of ["C:\\Users\\ada\\project", "/home/ada/project"]) expect(continuation(runFolder({ specFolder: elsewhere }), identity, {}, PROGRAM).record.specFolder).toBe(elsewhere);
  });

  it("of a finished run is a notice unless --epochs asks for more", () => {
    const folder = runFolder({ finished: { epochs: 4 } });
    const notice = refusal(() => continuation(folder, identity, { epochs: 4 }, PROGRAM));
    expect(notice).toBeInstanceOf(TrainingStopped);
    expect((notice as TrainingStopped).exitCode).toBe(0);
    expect((notice as TrainingStopped).expected).toBe(true);
    expect(continuation(folder, identity, { epochs: 5 }, PROGRAM).record.finished).toBeUndefined();
  });

  it("of a bagging run with --epochs too few quotes the count every member can take, naming each member it is too few for", async () => {
    const folder = runFolder();
    // member-1 stopped after epoch 3; member-2, its own process, in epoch 6 with 5 finished.
    await memberCheckpoint(folder, "member-1", 3, true);
    await memberCheckpoint(folder, "member-2", 6, false);
    const tooFew = refusal(() => continuation(folder, identity, { resume: folder, epochs: 2 }, PROGRAM));
    expect(tooFew).toBeInstanceOf(RunFolderError);
    expect(tooFew.message).toBe(
      `${join(folder, "member-1")} stopped after epoch 3, ${join(folder, "member-2")} stopped in epoch 6 (5 finished): --epochs 2 would end before that; resume with --epochs 6 or more, or without --epochs`,
    );
    expect(refusal(() => continuation(folder, identity, { resume: folder, epochs: 4 }, PROGRAM)).message).toBe(
      `${join(folder, "member-2")} stopped in epoch 6 (5 finished): --epochs 4 would end before that; resume with --epochs 6 or more, or without --epochs`,
    );
    expect(continuation(folder, identity, { resume: folder, epochs: 6 }, PROGRAM).options.epochs).toBe(6);
  });
});

/** A bagging member's checkpoint in `folder/name`: stopped after `epoch` when `ended`, else in it, after some steps. */
async function memberCheckpoint(folder: string, name: string, epoch: number, ended: boolean): Promise<void> {
  const finished = ended ? epoch : epoch - 1;
  const history = Array.from({ length: finished }, (_, i) => ({ epoch: i + 1, phase: "train", learningRate: 0.01, seconds: 1, train: { loss: 1 } }));
  const state: TrainerState = { phase: "train", epoch, stepsDone: 2, epochEnded: ended, sums: [], objectiveSum: 1, examples: 32, seconds: 1, history, techniques: [] };
  const kernel = tf.tensor1d([1, 2]);
  await saveCheckpoint(join(folder, name), { params: new Map([["kernel", kernel]]), optimizer: [], state });
  kernel.dispose();
}
