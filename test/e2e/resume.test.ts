import { spawn, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadCheckpoint } from "../../src/runtime/run/checkpoint.js";
import type { History } from "../../src/runtime/run/history.js";
import { trainerStateProblem } from "../../src/runtime/train/trainer-state.js";
import type { TrainerState } from "../../src/runtime/train/trainer.js";
import { regressionCsv, regressionSpec } from "../support/regression-spec.js";
import { onlyRunFolder, readJson, ROOT, startRegc, type Finished } from "./support.js";

/** Ctrl-C, `--resume` and damaged run folders, on a regression spec over a few CSV rows. */

const scratch = mkdtempSync(join(ROOT, ".scratch-resume-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => selectBackend("cpu"));

writeFileSync(join(scratch, "ten.csv"), regressionCsv(10));
writeFileSync(join(scratch, "tiny.reg"), regressionSpec("ten.csv"));
// Epochs of 600 one-row steps: long enough to stop one part-way.
writeFileSync(join(scratch, "rows.csv"), regressionCsv(1000));
writeFileSync(join(scratch, "slow.reg"), regressionSpec("rows.csv", { batch: 1 }));
writeFileSync(join(scratch, "diverge.reg"), regressionSpec("ten.csv", { lr: 1e6 }));
writeFileSync(join(scratch, "snapshots.reg"), regressionSpec("rows.csv", { batch: 1 }).replace("  l2(1e-4)\n", "  l2(1e-4)\n  snapshot_ensemble(cycles: 3)\n"));

/** `regc run` as the leader of its own process group, as a terminal starts it: Ctrl-C there signals the whole group. */
function startInGroup(args: string[], onStderr: (soFar: string, pid: number) => void): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "regc.js"), ...args], { cwd: scratch, detached: true, env: { ...process.env, NO_COLOR: "1", CI: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      onStderr(stderr, child.pid!);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** `regc run SPEC --epochs 3` on cpu, stopped by Ctrl-C once its first epoch shows. */
function ctrlCInFirstOfThreeEpochs(spec: string, runs: string): Promise<Finished> {
  let signalled = false;
  return startRegc(["run", spec, "--epochs", "3", "--backend", "cpu", "--runs", runs], scratch, (stderr, child) => {
    if (!signalled && stderr.includes("epoch 1/3")) {
      signalled = true;
      child.kill("SIGINT");
    }
  });
}

const epochsIn = (folder: string) => readJson<History>(join(folder, "history.json")).epochs.length;
const noStackTrace = (run: Finished) => expect(run.stderr).not.toMatch(/^\s+at /m);

describe("Ctrl-C", () => {
  it("stops a run of one-step epochs within seconds when the process group gets SIGINT, with a notice, and the folder resumes", async () => {
    const runs = join(scratch, "group");
    let signalledAt = 0;
    let deadline: NodeJS.Timeout | undefined;
    const stopped = await startInGroup(["run", "tiny.reg", "--epochs", "100000", "--backend", "cpu", "--runs", runs], (stderr, pid) => {
      if (signalledAt === 0 && stderr.includes("epoch 3/100000")) {
        signalledAt = performance.now();
        process.kill(-pid, "SIGINT");
        // Not stopped by then: the signal was ignored, as it was before steps yielded to the event loop.
        deadline = setTimeout(() => process.kill(-pid, "SIGKILL"), 20_000);
      }
    });
    clearTimeout(deadline);
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(performance.now() - signalledAt).toBeLessThan(20_000);
    expect(stopped.stderr).toMatch(/^regc: interrupted after epoch \d+, step 1; checkpoint and history saved/m);
    expect(stopped.stderr).not.toContain("error");
    const folder = onlyRunFolder(runs);
    const done = epochsIn(folder);
    // Stopped inside epoch done + 1: fewer epochs than that would end before it; refused, the history kept.
    const history = readFileSync(join(folder, "history.csv"), "utf8");
    const shorter = await startRegc(["run", "--resume", folder, "--epochs", String(done)], scratch);
    expect(shorter.code, shorter.stderr).toBe(2);
    expect(shorter.stderr).toContain(`--epochs ${done} would end before that; resume with --epochs ${done + 1} or more, or without --epochs`);
    noStackTrace(shorter);
    expect(readFileSync(join(folder, "history.csv"), "utf8")).toBe(history);
    const resumed = await startRegc(["run", "--resume", folder, "--epochs", String(done + 2)], scratch);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(epochsIn(folder)).toBe(done + 2);
  }, 90_000);
});

describe("--resume", () => {
  const runs = join(scratch, "slow");
  let folder = "";

  it("continues with the --epochs and --backend the run started with, and the report keeps its spec", async () => {
    const stopped = await ctrlCInFirstOfThreeEpochs("slow.reg", runs);
    expect(stopped.code, stopped.stderr).toBe(130);
    folder = onlyRunFolder(runs);
    expect(epochsIn(folder)).toBeLessThan(3);
    const resumed = await startRegc(["run", "--resume", folder], scratch);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("on the cpu backend");
    expect(resumed.stderr).toContain("epoch 3/3");
    expect(epochsIn(folder)).toBe(3);
    expect(readFileSync(join(folder, "report.html"), "utf8")).toContain("<details id=\"spec\"><summary>Spec</summary><pre>data t {");
  }, 120_000);

  it("refuses --epochs fewer than snapshot_ensemble's cycles (exit 2), leaving run.json as it was", async () => {
    const snapshotRuns = join(scratch, "snapshots");
    const stopped = await ctrlCInFirstOfThreeEpochs("snapshots.reg", snapshotRuns);
    expect(stopped.code, stopped.stderr).toBe(130);
    const started = onlyRunFolder(snapshotRuns);
    const record = readFileSync(join(started, "run.json"), "utf8");
    const shorter = await startRegc(["run", "--resume", started, "--epochs", "2"], scratch);
    expect(shorter.code, shorter.stderr).toBe(2);
    expect(shorter.stderr).toContain("regc: error: --epochs 2 is fewer than snapshot_ensemble's 3 cycles; use --epochs 3 or more, or fewer cycles\n");
    noStackTrace(shorter);
    // Its next resume goes on with the 3 epochs it started with.
    expect(readFileSync(join(started, "run.json"), "utf8")).toBe(record);
  }, 120_000);

  it("keeps the --threads a run started with", async () => {
    const threadRuns = join(scratch, "threads");
    let signalled = false;
    const stopped = await startRegc(["run", "tiny.reg", "--epochs", "100000", "--backend", "wasm", "--threads", "2", "--runs", threadRuns], scratch, (stderr, child) => {
      if (!signalled && stderr.includes("epoch 2/100000")) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    expect(stopped.code, stopped.stderr).toBe(130);
    const started = onlyRunFolder(threadRuns);
    expect(JSON.parse(readFileSync(join(started, "run.json"), "utf8")).options).toMatchObject({ threads: 2 });
    const resumed = await startRegc(["run", "--resume", started, "--epochs", String(epochsIn(started) + 2)], scratch);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain("on the wasm backend (2 threads)");
  }, 120_000);

  it("of a finished run says so and trains nothing, unless --epochs asks for more", async () => {
    const metrics = readFileSync(join(folder, "metrics.json"), "utf8");
    const again = await startRegc(["run", "--resume", folder], scratch);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`regc: ${folder} has finished training (3 epochs)`);
    expect(again.stderr).not.toMatch(/epoch \d+\/|error/);
    expect(readFileSync(join(folder, "metrics.json"), "utf8")).toBe(metrics);

    const more = await startRegc(["run", "--resume", folder, "--epochs", "4"], scratch);
    expect(more.code, more.stderr).toBe(0);
    expect(epochsIn(folder)).toBe(4);
  }, 120_000);

  /** A copy of the finished run, damaged; resumed asking for one more epoch. */
  async function resumeDamaged(name: string, damage: (copy: string) => void): Promise<Finished> {
    const copy = join(scratch, "damaged", name);
    cpSync(folder, copy, { recursive: true });
    damage(copy);
    const run = await startRegc(["run", "--resume", copy, "--epochs", "5"], scratch);
    noStackTrace(run);
    return run;
  }

  it("refuses a folder with no checkpoint, saying so (exit 2)", async () => {
    const run = await resumeDamaged("no-checkpoint", (copy) => rmSync(join(copy, "checkpoint"), { recursive: true }));
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/has no checkpoint: the run stopped before writing its first/);
    expect(run.stderr).toContain("start it again: regc run slow.reg --runs damaged\n");
  }, 60_000);

  it("where the program cannot be written beside the run folder, says so (exit 2)", async () => {
    const copy = join(scratch, "blocked", "run");
    cpSync(folder, copy, { recursive: true });
    // A file where `regc run` compiles the program: read-only or full folders fail alike.
    writeFileSync(join(scratch, "blocked", ".compiled"), "");
    const run = await startRegc(["run", "--resume", copy], scratch);
    noStackTrace(run);
    expect(run.stderr).toMatch(new RegExp(`^regc: error: cannot write ${join(scratch, "blocked", ".compiled")}/slow\\.\\d+\\.mjs, the program regc run imports: a file of that name is in the way\n$`));
    expect(run.code).toBe(2);
  }, 60_000);

  it("refuses an edited program: here, another data seed (exit 2)", async () => {
    const run = await resumeDamaged("data-seed", (copy) => {
      const program = join(copy, readdirSync(copy).find((file) => file.endsWith(".ts"))!);
      writeFileSync(program, readFileSync(program, "utf8").replace(/seed: 3\b/, "seed: 4"));
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the program differs from the one");
  }, 60_000);

  it("refuses to go on with data changed since the run started, and goes on once it is restored", async () => {
    const data = join(scratch, "rows.csv");
    const original = readFileSync(data, "utf8");
    const lines = original.split("\n");
    writeFileSync(data, [...lines.slice(0, 2), lines[3], lines[2], ...lines.slice(4)].join("\n"));
    try {
      const run = await resumeDamaged("data-changed", () => {});
      expect(run.code).toBe(2);
      expect(run.stderr).toContain("changed since the run started (run.json records the SHA-256 of its rows as loaded)");
    } finally {
      writeFileSync(data, original);
    }
    const restored = await startRegc(["run", "--resume", join(scratch, "damaged", "data-changed"), "--epochs", "5"], scratch);
    expect(restored.code, restored.stderr).toBe(0);
  }, 90_000);

  it("gives a run recorded without the data's SHA-256 one when it resumes", async () => {
    const run = await resumeDamaged("no-fingerprint", (copy) => {
      const record = JSON.parse(readFileSync(join(copy, "run.json"), "utf8"));
      delete record.data.sha256;
      writeFileSync(join(copy, "run.json"), JSON.stringify(record));
    });
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(scratch, "damaged", "no-fingerprint", "run.json"), "utf8")).data.sha256).toMatch(/^[0-9a-f]{64}$/);
  }, 60_000);

  it("goes on in a folder moved since the run started, finding the data beside the spec where it started", async () => {
    expect(readJson<{ specFolder: string }>(join(folder, "run.json")).specFolder).toBe(scratch);
    const moved = await resumeDamaged(join("moved", "further", "down"), () => {});
    expect(moved.code, moved.stderr).toBe(0);
    expect(epochsIn(join(scratch, "damaged", "moved", "further", "down"))).toBe(5);
    // The folder its program was compiled into, beside it, is gone again.
    expect(readdirSync(join(scratch, "damaged", "moved", "further"))).toEqual(["down"]);

    const nowhere = await resumeDamaged(join("moved", "elsewhere", "too"), (copy) => {
      const record = JSON.parse(readFileSync(join(copy, "run.json"), "utf8"));
      writeFileSync(join(copy, "run.json"), JSON.stringify({ ...record, specFolder: join(scratch, "gone") }));
    });
    expect(nowhere.code).toBe(2);
    expect(nowhere.stderr).toContain(`then ${join(scratch, "gone", "rows.csv")} (where the run started)`);
  }, 90_000);

  it("records the spec's folder on a resume that found the data from there: a run without one, and a project moved as a whole", async () => {
    const cases: Array<[string, (record: Record<string, unknown>) => Record<string, unknown>]> = [
      ["no-spec-folder", ({ specFolder: _specFolder, ...record }) => record],
      ["project-moved", (record) => ({ ...record, specFolder: join(scratch, "where-the-project-was") })],
    ];
    for (const [name, change] of cases) {
      const run = await resumeDamaged(name, (copy) => writeFileSync(join(copy, "run.json"), JSON.stringify(change(JSON.parse(readFileSync(join(copy, "run.json"), "utf8"))))));
      expect(run.code, run.stderr).toBe(0);
      expect(readJson<{ specFolder: string }>(join(scratch, "damaged", name, "run.json")).specFolder).toBe(scratch);
    }
  }, 90_000);

  it("goes on with its own data from where it started when its program's place now holds another file of that name, and refuses when neither is", async () => {
    const data = join(scratch, "rows.csv");
    const original = readFileSync(data, "utf8");
    const lines = original.split("\n");
    const started = join(scratch, "damaged", "where-it-started");
    mkdirSync(started, { recursive: true });
    writeFileSync(join(started, "rows.csv"), original);
    const startedThere = (copy: string) => {
      const record = JSON.parse(readFileSync(join(copy, "run.json"), "utf8"));
      writeFileSync(join(copy, "run.json"), JSON.stringify({ ...record, specFolder: started }));
    };
    // A newer copy of the data beside the program: one row more.
    writeFileSync(data, `${original}${lines[1]}\n`);
    try {
      const run = await resumeDamaged("beside-a-newer-copy", startedThere);
      expect(run.code, run.stderr).toBe(0);
      expect(epochsIn(join(scratch, "damaged", "beside-a-newer-copy"))).toBe(5);
      // The record keeps the folder that holds the run's data.
      expect(readJson<{ specFolder: string }>(join(scratch, "damaged", "beside-a-newer-copy", "run.json")).specFolder).toBe(started);

      writeFileSync(join(started, "rows.csv"), `${original}${lines[2]}\n`);
      const neither = await resumeDamaged("beside-two-other-copies", startedThere);
      expect(neither.code).toBe(2);
      expect(neither.stderr).toContain("changed since the run started");
    } finally {
      writeFileSync(data, original);
    }
  }, 90_000);

  it("refuses a damaged run.json, naming it (exit 2)", async () => {
    const run = await resumeDamaged("run-json", (copy) => writeFileSync(join(copy, "run.json"), "{}"));
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${join(scratch, "damaged", "run-json", "run.json")} is damaged: \`spec\``);
  }, 60_000);

  it("refuses checkpoints damaged in every generation, naming each file (exit 2)", async () => {
    let generations: string[] = [];
    const run = await resumeDamaged("state", (copy) => {
      generations = readdirSync(join(copy, "checkpoint")).filter((entry) => /^\d+$/.test(entry));
      for (const generation of generations) writeFileSync(join(copy, "checkpoint", generation, "state.json"), "{}");
    });
    expect(generations).toHaveLength(2);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("no intact checkpoint to resume from");
    for (const generation of generations) expect(run.stderr).toContain(`${join("checkpoint", generation, "state.json")} is not a training state: \`phase\` is missing`);
  }, 60_000);

  it("falls back from a pointer out of the run folder to the newest intact generation, with a warning", async () => {
    const run = await resumeDamaged("pointer", (copy) => writeFileSync(join(copy, "checkpoint", "latest.json"), '{"generation":"../../../../../etc"}'));
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/warning: .*\n.*latest\.json should be \{"generation": N\}/);
    expect(epochsIn(join(scratch, "damaged", "pointer"))).toBe(5);
  }, 60_000);

  it("removes the temporaries a writer killed mid-write left, in the generation it goes on from too, and keeps a live writer's", async () => {
    const deadPid = spawnSync(process.execPath, ["--eval", ""]).pid;
    const live = `history.csv.${process.pid}.0.regc-tmp`;
    let params = "";
    const run = await resumeDamaged("leftovers", (copy) => {
      // The generation it goes on from stays as the one before the next: no write of the resumed run goes into it.
      params = join(copy, "checkpoint", String(readJson<{ generation: number }>(join(copy, "checkpoint", "latest.json")).generation), "params");
      writeFileSync(join(params, `weights.bin.${deadPid}.5.regc-tmp`), "");
      writeFileSync(join(copy, `history.json.${deadPid}.4.regc-tmp`), "");
      writeFileSync(join(copy, live), "");
    });
    expect(run.code, run.stderr).toBe(0);
    expect(readdirSync(params).sort()).toEqual(["model.json", "weights.bin"]);
    const folder = join(scratch, "damaged", "leftovers");
    expect(readdirSync(folder).filter((name) => name.endsWith(".regc-tmp"))).toEqual([live]);
  }, 60_000);
});

describe("a diverging run", () => {
  it("keeps the last checkpoint whose validation loss was finite (exit 5)", async () => {
    const runs = join(scratch, "diverge");
    const run = await startRegc(["run", "diverge.reg", "--backend", "cpu", "--runs", runs], scratch);
    expect(run.code, run.stderr).toBe(5);
    expect(run.stderr).toMatch(/the validation loss became (NaN|infinite) after epoch (\d+)\..*The last good checkpoint \(train epoch \d+\) is kept/);
    const history = readJson<History>(join(onlyRunFolder(runs), "history.json"));
    expect(Number.isFinite(history.epochs.at(-1)!.val!.loss)).toBe(false);
    const checkpoint = (await loadCheckpoint(onlyRunFolder(runs), trainerStateProblem))!;
    const state = checkpoint.state as TrainerState;
    expect(state.epoch).toBe(history.epochs.length - 1);
    expect(Number.isFinite(state.history.at(-1)!.val!.loss)).toBe(true);
    for (const tensor of checkpoint.params.values()) expect(tf.all(tf.isFinite(tensor)).dataSync()[0]).toBe(1);
  }, 60_000);
});
