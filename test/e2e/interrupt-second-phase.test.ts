import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, expect, it } from "vitest";
import type { History } from "../../src/runtime/run/history.js";
import { onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/** Ctrl-C while early stopping's second phase (`then: retrain_all`) trains: it stops there as in any epoch, and resumes to the uninterrupted run's numbers. */

const scratch = mkdtempSync(join(ROOT, ".scratch-second-phase-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const rows = ["a,b,y"];
for (let i = 0; i < 600; i++) {
  const a = ((i * 37) % 101) / 101;
  const b = ((i * 59) % 103) / 103;
  rows.push(`${a.toFixed(3)},${b.toFixed(3)},${(2 * a - b + 0.5).toFixed(3)}`);
}
writeFileSync(join(scratch, "rows.csv"), `${rows.join("\n")}\n`);
// One-row steps: the second phase's first epoch lasts long enough to stop part-way.
writeFileSync(
  join(scratch, "retrain.reg"),
  `data t {
  source   csv("rows.csv")
  features a, b
  target   y = number(y)
  split    train: 0.6, val: 0.2, test: 0.2
}

model m(t.input) {
  h   = dense(4, activation: relu)
  out = dense(1)
}

task fit = regress(m.out, t.y)

train {
  optimizer sgd(lr: 0.01)
  epochs    2
  batch     1
}

regularize m {
  early_stop(monitor: val_loss, patience: 5, restore_best: true, then: retrain_all)
}
`,
);

it("Ctrl-C in the retrain_all phase stops after the step with a checkpoint (130), and --resume ends where an uninterrupted run does", async () => {
  const whole = await startRegc(["run", "retrain.reg", "--backend", "cpu", "--runs", "whole"], scratch);
  expect(whole.code, whole.stderr).toBe(0);

  let signalled = false;
  const stopped = await startRegc(["run", "retrain.reg", "--backend", "cpu", "--runs", "stopped"], scratch, (stderr, child) => {
    if (!signalled && stderr.includes("retraining from scratch on train + val")) {
      signalled = true;
      child.kill("SIGINT");
    }
  });
  expect(stopped.code, stopped.stderr).toBe(130);
  expect(stopped.stderr).toContain("stopping after this step");
  expect(stopped.stderr).toMatch(/interrupted after epoch \d+, step \d+ of early stopping's `then: retrain_all` phase; checkpoint and history saved/);
  const folder = onlyRunFolder(join(scratch, "stopped"));
  const phases = readJson<History>(join(folder, "history.json")).epochs.map((epoch) => epoch.phase);
  expect(phases).not.toContain("retrain_all");

  const resumed = await startRegc(["run", "--resume", folder], scratch);
  expect(resumed.code, resumed.stderr).toBe(0);
  const metrics = (runs: string) => JSON.parse(readFileSync(join(onlyRunFolder(runs), "metrics.json"), "utf8")).splits;
  expect(metrics(join(scratch, "stopped"))).toEqual(metrics(join(scratch, "whole")));
}, 180_000);
