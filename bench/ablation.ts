// Wall time of one `regc ablate` with 2 local workers against 1 on the same
// machine, in this run: trials are separate processes, so on two free cores
// the ideal is 2×. Each ablation is example A shortened to one epoch.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";

const SPEC = "examples/a-mlp-dropout-maxnorm.reg";
const ARGS = ["--epochs", "1", "--seeds", "2", "--backend", "wasm", "--format", "json"];
const TARGET_SPEEDUP = 1.7;

export function benchAblation(root: string): void {
  const folder = mkdtempSync(join(tmpdir(), "reglang-bench-ablation-"));
  try {
    console.log(`regc ablate ${SPEC} ${ARGS.slice(0, 4).join(" ")} (5 arms × 2 seeds = 10 trials; ${availableParallelism()} cores):`);
    const seconds = (workers: number) => {
      const start = performance.now();
      const run = spawnSync(process.execPath, [join(root, "dist", "regc.js"), "ablate", SPEC, ...ARGS, "--workers", String(workers), "--out", join(folder, `w${workers}`)], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, CI: "1", NO_COLOR: "1" },
      });
      if (run.status !== 0) throw new Error(`regc ablate --workers ${workers} exited ${run.status}: ${run.stderr}`);
      return (performance.now() - start) / 1000;
    };
    const one = seconds(1);
    const two = seconds(2);
    console.log(`  1 worker:  ${one.toFixed(1)} s`);
    console.log(`  2 workers: ${two.toFixed(1)} s  (${(one / two).toFixed(2)}× faster; aim ≥ ${TARGET_SPEEDUP}× on two free cores)`);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
