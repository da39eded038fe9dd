import { spawnSync } from "node:child_process";
import { median, time } from "./stats.js";

const SPEC = "examples/a-mlp-dropout-maxnorm.reg";
const TARGET_RATIO = 2.5;

/** `regc check` on one spec against a bare `node -e 0`, both cold processes, measured in turn. */
export function benchColdStart(root: string, runs = 21): void {
  const node = ["-e", "0"];
  const regc = ["bin/regc.js", "check", SPEC];
  const status = spawnSync(process.execPath, regc, { cwd: root }).status;
  if (status !== 0) console.log(`  (regc check ${SPEC} exited ${status}: the time below includes its diagnostics)`);

  const nodeTimes: number[] = [];
  const regcTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    nodeTimes.push(time(() => spawnSync(process.execPath, node, { cwd: root })));
    regcTimes.push(time(() => spawnSync(process.execPath, regc, { cwd: root })));
  }
  const ratio = median(regcTimes) / median(nodeTimes);
  console.log(`cold start, median of ${runs}:`);
  console.log(`  node -e 0                 ${median(nodeTimes).toFixed(0)} ms`);
  console.log(`  regc check (one spec)     ${median(regcTimes).toFixed(0)} ms`);
  console.log(`  ratio                     ${ratio.toFixed(2)}× (target ≤ ${TARGET_RATIO}×)`);
}
