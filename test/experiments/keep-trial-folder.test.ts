import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { keepTrialFolder } from "../../src/experiments/keep-trial-folder.js";

const scratch = mkdtempSync(join(tmpdir(), "keep-trial-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe("a trial's run folder kept in its experiment", () => {
  it("loses the temporaries its run left when killed mid-write, and keeps a live writer's", () => {
    const experiment = mkdtempSync(join(scratch, "experiment-"));
    const runFolder = mkdtempSync(join(scratch, "run-"));
    const killedRun = spawnSync(process.execPath, ["--eval", ""]).pid;
    const params = join(runFolder, "checkpoint", "2", "params");
    mkdirSync(params, { recursive: true });
    writeFileSync(join(params, "model.json"), "{}");
    // Written after this process started, as a trial's are while the experiment that files them runs: its run has ended, so their age does not matter.
    writeFileSync(join(params, `weights.bin.${killedRun}.9.regc-tmp`), "");
    writeFileSync(join(runFolder, "history.json"), "{}");
    writeFileSync(join(runFolder, `metrics.json.${killedRun}.10.regc-tmp`), "");
    const live = `report.html.${process.pid}.0.regc-tmp`;
    writeFileSync(join(runFolder, live), "");
    const relative = keepTrialFolder(experiment, "t3", { result: { id: "t3", status: "failed" }, runFolder });
    const kept = join(experiment, relative);
    expect(readdirSync(kept).sort()).toEqual(["checkpoint", "history.json", live]);
    expect(readdirSync(join(kept, "checkpoint", "2", "params"))).toEqual(["model.json"]);
  });
});
