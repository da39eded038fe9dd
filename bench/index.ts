// `npm run bench` (scripts/bench.mjs bundles and runs this from the package root): prints ratios and rates measured in this run. Nothing here asserts.
import { benchAblation } from "./ablation.js";
import { benchCheckThroughput } from "./check-throughput.js";
import { benchColdStart } from "./cold-start.js";
import { benchLsp } from "./lsp.js";
import { benchTraining } from "./training.js";

const root = process.cwd();

benchColdStart(root);
console.log();
benchCheckThroughput(root);
console.log();
await benchLsp(root);
console.log();
await benchTraining(root);
console.log();
benchAblation(root);
