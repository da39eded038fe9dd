// `npm run bench` (scripts/bench.mjs bundles and runs this from the package root): prints ratios and rates measured in this run. Nothing here asserts.
// `npm run bench -- training` (or any section names) runs only those sections.
import { benchAblation } from "./ablation.js";
import { benchAllCores } from "./all-cores.js";
import { benchCheckThroughput } from "./check-throughput.js";
import { benchColdStart } from "./cold-start.js";
import { benchLsp } from "./lsp.js";
import { benchTraining } from "./training.js";

const root = process.cwd();

const SECTIONS: Record<string, () => void | Promise<void>> = {
  "cold-start": () => benchColdStart(root),
  check: () => benchCheckThroughput(root),
  lsp: () => benchLsp(root),
  training: () => benchTraining(root),
  "all-cores": () => benchAllCores(root),
  ablation: () => benchAblation(root),
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in SECTIONS));
if (unknown.length > 0) {
  console.error(`unknown bench section ${unknown.join(", ")}: choose from ${Object.keys(SECTIONS).join(", ")}`);
  process.exit(2);
}
const chosen = Object.entries(SECTIONS).filter(([name]) => asked.length === 0 || asked.includes(name));
for (const [index, [, run]] of chosen.entries()) {
  if (index > 0) console.log();
  await run();
}
