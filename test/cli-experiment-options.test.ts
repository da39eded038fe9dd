import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { resumeCommand } from "../src/cli/experiment-options.js";

const ROOT = join(import.meta.dirname, "..");
const TSX = join(ROOT, "node_modules", "tsx", "dist", "cli.mjs");
const OPTIONS = join(ROOT, "src", "cli", "experiment-options.ts");

describe("resumeCommand", () => {
  it("is the folder alone for trials run here", () => {
    expect(resumeCommand("ablate", "ablations/a-1", { workers: 2 })).toBe("regc ablate --resume ablations/a-1");
  });

  it("gives the queue again, its password hidden, for trials on a queue", () => {
    expect(resumeCommand("tune", "tuning/t-1", { queue: "redis://:s3cret@queue.example:6380/2" })).toBe("regc tune --resume tuning/t-1 --queue redis://:***@queue.example:6380/2");
  });
});

describe("an experiment's stop", () => {
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    it(`comes with ${signal}, keeping finished trials`, () => {
      const script = `
        import { stopOnCtrlC } from ${JSON.stringify(OPTIONS)};
        const stop = stopOnCtrlC({ stdout: () => {}, stderr: (text) => process.stderr.write(text), color: false }, "finished trials");
        process.kill(process.pid, ${JSON.stringify(signal)});
        setTimeout(() => process.exit(stop.signal.aborted ? 7 : 0), 200);
      `;
      const run = spawnSync(process.execPath, [TSX, "--eval", script], { encoding: "utf8", timeout: 30_000 });
      expect(run.status).toBe(7);
      expect(run.stderr).toContain("stopping: finished trials are kept (Ctrl-C again to quit at once)");
    });
  }
});
