import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..", "..");
const TSX = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const WATCH = join(ROOT, "src", "runtime", "session", "interrupt.ts");

/**
 * A process that watches Ctrl-C as a run does, then sends itself `signal`;
 * `started`: training began first; `busy`: the signal came while the
 * process was busy loading, and training began before it looked.
 */
function interrupted(started: boolean, signal: NodeJS.Signals = "SIGINT", busy = false) {
  const script = `
    import { InterruptWatch } from ${JSON.stringify(WATCH)};
    const watch = new InterruptWatch();
    watch.watchBeforeTraining("interrupted before the first step: nothing was trained, and runs/tiny-1 holds no checkpoint");
    ${started ? "watch.start();" : ""}
    process.kill(process.pid, ${JSON.stringify(signal)});
    ${busy ? "const until = Date.now() + 100; while (Date.now() < until); watch.start();" : ""}
    setTimeout(() => process.exit(watch.requested ? 7 : 0), 200);
  `;
  return spawnSync(process.execPath, [TSX, "--eval", script], { encoding: "utf8", timeout: 30_000 });
}

describe("Ctrl-C", () => {
  it("before the first step ends the run at once (130), saying why", () => {
    const run = interrupted(false);
    expect(run.status).toBe(130);
    expect(run.stderr).toContain("regc: interrupted before the first step: nothing was trained, and runs/tiny-1 holds no checkpoint");
  });

  it("once training began asks the loop to stop after its step, as before", () => {
    const run = interrupted(true);
    expect(run.status).toBe(7);
    expect(run.stderr).toContain("stopping after this step (Ctrl-C again to quit at once)");
    expect(run.stderr).not.toContain("before the first step");
  });

  it("that came while the run was busy starting, and was seen only once training began, still stops it", () => {
    const run = interrupted(false, "SIGINT", true);
    expect(run.status).toBe(7);
    expect(run.stderr).toContain("stopping after this step");
  });
});

describe("SIGTERM (kill, timeout, a service manager, a cancelled CI job)", () => {
  it("before the first step ends the run at once (130), saying why", () => {
    const run = interrupted(false, "SIGTERM");
    expect(run.status).toBe(130);
    expect(run.stderr).toContain("regc: interrupted before the first step");
  });

  it("once training began stops after the step with a checkpoint, as Ctrl-C does", () => {
    const run = interrupted(true, "SIGTERM");
    expect(run.status).toBe(7);
    expect(run.stderr).toContain("stopping after this step");
  });
});
