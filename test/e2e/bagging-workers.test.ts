import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * Bagging's members trained at once, each by the same program in a process
 * of its own (`regc run --workers N`): the same numbers as one after
 * another, Ctrl-C and a killed parent stop every member with its
 * checkpoint, and a failing member is named.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-bagging-workers-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function spec(name: string, { members = 3, optimizer = "adam(lr: 0.01)", epochs = 3, clause = "dropout(0.2) after h" } = {}): string {
  const path = join(scratch, `${name}.reg`);
  writeFileSync(
    path,
    `data penguins {
  source   json("vega-datasets/data/penguins.json")
  features "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"
  normalize standard
  missing  drop
  target   species = class(Species)
  split    train: 0.6, val: 0.2, test: 0.2
  seed     3
}

model net(penguins.input) {
  h   = dense(16, activation: relu)
  out = dense(3)
}

task species = classify(net.out, penguins.species)

train {
  optimizer ${optimizer}
  epochs    ${epochs}
  batch     8
}

regularize net {
  ${clause}
  bagging(members: ${members}, combine: average)
}
`,
  );
  return path;
}

const run = (args: string[], onStderr?: Parameters<typeof startRegc>[2]) => startRegc(["run", ...args, "--backend", "wasm"], scratch, onStderr);

/** Each member's epochs without their durations, which differ from run to run. */
const memberEpochs = (history: History) => history.members!.map((member) => ({ ...member, epochs: member.epochs.map(({ seconds: _seconds, ...rest }) => rest) }));

/** Processes whose command line names `text` (a run folder): the member workers of that run. */
function processesNaming(text: string): number[] {
  return readdirSync("/proc")
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      try {
        return readFileSync(join("/proc", pid, "cmdline"), "utf8").includes(text) && !readFileSync(join("/proc", pid, "stat"), "utf8").includes(") Z ");
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function gone(pids: readonly number[], seconds: number): Promise<boolean> {
  for (let waited = 0; waited < seconds * 10; waited++) {
    if (pids.every((pid) => !existsSync(join("/proc", String(pid))) || readFileSync(join("/proc", String(pid), "stat"), "utf8").includes(") Z "))) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe("regc run --workers: bagging members in processes of their own", () => {
  const specPath = spec("penguins-bagged");
  let oneByOne: { metrics: FinalMetrics; history: History };

  it("gives every member and the ensemble the same numbers with 1 and with 2 workers", async () => {
    const alone = await run([specPath, "--runs", join(scratch, "one"), "--workers", "1"]);
    expect(alone.code, alone.stderr).toBe(0);
    expect(alone.stderr).not.toContain("[member-");
    const two = await run([specPath, "--runs", join(scratch, "two"), "--workers", "2"]);
    expect(two.code, two.stderr).toBe(0);
    // Each member's lines come prefixed, from a process of its own.
    for (const index of [1, 2, 3]) expect(two.stderr).toMatch(new RegExp(`^\\[member-${index}\\] member-${index} of 3: a bootstrap resample`, "m"));
    expect(two.stderr).toContain("3 members, each on its own bootstrap resample of train, 2 at a time in processes of their own");

    const [first, second] = [onlyRunFolder(join(scratch, "one")), onlyRunFolder(join(scratch, "two"))];
    oneByOne = { metrics: readJson<FinalMetrics>(join(first, "metrics.json")), history: readJson<History>(join(first, "history.json")) };
    const parallel = readJson<FinalMetrics>(join(second, "metrics.json"));
    expect(parallel.members).toHaveLength(3);
    expect(parallel.members).toEqual(oneByOne.metrics.members);
    expect(parallel.splits).toEqual(oneByOne.metrics.splits);
    expect(memberEpochs(readJson<History>(join(second, "history.json")))).toEqual(memberEpochs(oneByOne.history));
    // The members differ from each other: three models, not one trained three times.
    expect(new Set(parallel.members!.map((member) => member.splits["test"]!["loss"])).size).toBe(3);
    for (const index of [1, 2, 3]) expect(readFileSync(join(second, `member-${index}`, "metrics.json"), "utf8")).toBe(readFileSync(join(first, `member-${index}`, "metrics.json"), "utf8"));
  }, 180_000);

  it("trains the members in processes of their own from the generated program's own command line too (tsx)", async () => {
    const out = join(scratch, "out");
    expect((await startRegc(["compile", specPath, "--out", out], scratch)).code).toBe(0);
    const runs = join(scratch, "direct");
    const tsx = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
    const direct = await new Promise<{ code: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [tsx, join(out, "penguins-bagged.ts"), "--runs", runs, "--workers", "2", "--backend", "wasm"], { cwd: scratch, env: { ...process.env, CI: "1" } });
      let stderr = "";
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
    expect(direct.code, direct.stderr).toBe(0);
    expect(direct.stderr).toMatch(/^\[member-3\] member-3 of 3: a bootstrap resample/m);
    const metrics = readJson<FinalMetrics>(join(onlyRunFolder(runs), "metrics.json"));
    expect(metrics.members).toEqual(oneByOne.metrics.members);
    expect(metrics.splits).toEqual(oneByOne.metrics.splits);
  }, 180_000);

  it("trains every member of a finished run on when --resume asks for more --epochs, to the numbers of a run that trained them from the start", async () => {
    const runs = join(scratch, "more-epochs");
    const shorter = await run([specPath, "--runs", runs, "--workers", "2", "--epochs", "2"]);
    expect(shorter.code, shorter.stderr).toBe(0);
    const folder = onlyRunFolder(runs);
    expect(readJson<{ finished: { epochs: number } }>(join(folder, "run.json")).finished.epochs).toBe(2);

    const again = await startRegc(["run", "--resume", folder], scratch);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain(`regc: ${folder} has finished training (2 epochs); its results are in place. To train on, resume with --epochs N, N > 2.`);

    const more = await startRegc(["run", "--resume", folder, "--epochs", "3"], scratch);
    expect(more.code, more.stderr).toBe(0);
    const metrics = readJson<FinalMetrics>(join(folder, "metrics.json"));
    expect(metrics.members).toEqual(oneByOne.metrics.members);
    expect(metrics.splits).toEqual(oneByOne.metrics.splits);
    expect(memberEpochs(readJson<History>(join(folder, "history.json")))).toEqual(memberEpochs(oneByOne.history));
    expect(readJson<{ finished: { epochs: number } }>(join(folder, "run.json")).finished.epochs).toBe(3);
  }, 180_000);

  it("stops every member process on Ctrl-C (exit 130); --resume trains only the members not finished, to the same numbers", async () => {
    const runs = join(scratch, "interrupted");
    let signalled = false;
    let members: number[] = [];
    const stopped = await run([specPath, "--runs", runs, "--workers", "2"], (stderr, child) => {
      // Member 3 starts once member 1 or 2 has finished: one done, two not.
      if (!signalled && /^\[member-3\] member-3 of 3/m.test(stderr)) {
        signalled = true;
        members = processesNaming(`${runs}/`);
        child.kill("SIGINT");
      }
    });
    expect(stopped.code, stopped.stderr).toBe(130);
    const folder = onlyRunFolder(runs);
    expect(stopped.stderr).toContain(`Continue with: regc run --resume ${folder}`);
    expect(members.length).toBeGreaterThan(0);
    expect(await gone(members, 10)).toBe(true);
    expect(processesNaming(folder)).toEqual([]);
    expect(existsSync(join(folder, "metrics.json"))).toBe(false);

    const finished = [1, 2, 3].filter((index) => existsSync(join(folder, `member-${index}`, "metrics.json")));
    expect(finished.length).toBeGreaterThanOrEqual(1);
    expect(finished.length).toBeLessThan(3);
    const resumed = await run(["--resume", folder, "--workers", "2"]);
    expect(resumed.code, resumed.stderr).toBe(0);
    for (const index of [1, 2, 3]) expect(resumed.stderr.includes(`[member-${index}]`), `member-${index} trained again`).toBe(!finished.includes(index));
    const metrics = readJson<FinalMetrics>(join(folder, "metrics.json"));
    expect(metrics.members).toEqual(oneByOne.metrics.members);
    expect(metrics.splits).toEqual(oneByOne.metrics.splits);
  }, 180_000);

  it("leaves no member training when the parent is killed: each stops after its step with a checkpoint", async () => {
    const runs = join(scratch, "killed");
    let members: number[] = [];
    const killed = await run([spec("penguins-long", { members: 2, epochs: 500 }), "--runs", runs, "--workers", "2"], (stderr, child) => {
      // Once both train: a member still starting when its parent dies has nothing to keep, and stops without a checkpoint.
      if (members.length === 0 && [1, 2].every((index) => new RegExp(`^\\[member-${index}\\] epoch 2/`, "m").test(stderr))) {
        members = processesNaming(`${runs}/`);
        child.kill("SIGKILL");
      }
    });
    expect(killed.code).toBe(null);
    expect(members).toHaveLength(2);
    expect(await gone(members, 30)).toBe(true);
    const folder = onlyRunFolder(runs);
    const newest = [1, 2].map((index) => {
      const checkpoint = join(folder, `member-${index}`, "checkpoint");
      const { generation } = readJson<{ generation: number }>(join(checkpoint, "latest.json"));
      return readJson<{ epoch: number; epochEnded: boolean }>(join(checkpoint, String(generation), "state.json"));
    });
    for (const state of newest) expect(state.epoch).toBeLessThan(500);
    // Stopped after a step, not at an epoch's end: only a stop writes a checkpoint in the middle of an epoch (26 steps each).
    expect(newest.some((state) => !state.epochEnded)).toBe(true);
  }, 180_000);

  it("names a member whose process is killed, stops the other and leaves its run resumable", async () => {
    const runs = join(scratch, "member-killed");
    let members: number[] = [];
    const stopped = await run([spec("penguins-killed-member", { members: 2, epochs: 500 }), "--runs", runs, "--workers", "2"], (stderr) => {
      if (members.length === 0 && /^\[member-2\] epoch 1\//m.test(stderr)) {
        members = processesNaming(`${runs}/`);
        const second = processesNaming("--member\u00002\u0000").find((pid) => members.includes(pid));
        if (second !== undefined) process.kill(second, "SIGKILL");
      }
    });
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/^regc: error: member-2 of 2: its process was killed by SIGKILL\. The other members stopped after saving a checkpoint\. Continue with: regc run --resume /m);
    expect(await gone(members, 10)).toBe(true);
  }, 180_000);

  it("refuses --epochs fewer than the members' snapshot_ensemble cycles before any member starts, as a single run does (exit 2, no run folder)", async () => {
    const snapshots = spec("penguins-snapshots", { members: 2, clause: "snapshot_ensemble(cycles: 3)" });
    for (const workers of ["2", "1"]) {
      const runs = join(scratch, `too-few-epochs-${workers}`);
      const refused = await run([snapshots, "--runs", runs, "--workers", workers, "--epochs", "2"]);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toContain("regc: error: --epochs 2 is fewer than snapshot_ensemble's 3 cycles; use --epochs 3 or more, or fewer cycles\n");
      // Neither a member process's lines nor the ensemble's: nothing began.
      expect(refused.stderr).not.toContain("member");
      // Nor the runs folder it made.
      expect(existsSync(runs)).toBe(false);
    }
  }, 60_000);

  it("refuses a resumed bagging run --epochs fewer than its members' cycles before any member starts, leaving run.json as it was", async () => {
    const runs = join(scratch, "too-few-epochs-resumed");
    let signalled = false;
    // Stopped as its members start: each keeps a checkpoint in epoch 1, which --epochs 2 does not end before.
    const stopped = await run([spec("penguins-snapshots-long", { members: 2, epochs: 300, clause: "snapshot_ensemble(cycles: 3)" }), "--runs", runs, "--workers", "2"], (stderr, child) => {
      if (!signalled && stderr.includes("a bootstrap resample")) {
        signalled = true;
        child.kill("SIGINT");
      }
    });
    expect(stopped.code, stopped.stderr).toBe(130);
    const folder = onlyRunFolder(runs);
    const record = readFileSync(join(folder, "run.json"), "utf8");
    const refused = await run(["--resume", folder, "--workers", "2", "--epochs", "2"]);
    expect(refused.code, refused.stderr).toBe(2);
    expect(refused.stderr).toContain("regc: error: --epochs 2 is fewer than snapshot_ensemble's 3 cycles; use --epochs 3 or more, or fewer cycles\n");
    expect(refused.stderr).not.toContain("[member-");
    expect(readFileSync(join(folder, "run.json"), "utf8")).toBe(record);
  }, 120_000);

  it("names a member that diverges and why, stops the others and exits 5", async () => {
    const diverging = await run([spec("penguins-diverging", { members: 2, optimizer: "sgd(lr: 1e30)", epochs: 5 }), "--runs", join(scratch, "diverging"), "--workers", "2"]);
    expect(diverging.code, diverging.stderr).toBe(5);
    expect(diverging.stderr).toMatch(/^regc: error: member-[12] of 2: the training loss became (NaN|infinite) at epoch 1/m);
    expect(diverging.stderr).toContain("The other members stopped after saving a checkpoint.");
    expect(diverging.stderr).not.toMatch(/^\s+at /m);
  }, 180_000);
});
