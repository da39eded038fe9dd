// `npm run bench`: builds, then prints ratios and rates measured in this run. Nothing here asserts.
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchCheckThroughput } from "./check-throughput.js";
import { benchColdStart } from "./cold-start.js";
import { benchLsp } from "./lsp.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");

benchColdStart(root);
console.log();
benchCheckThroughput(root);
console.log();
await benchLsp(root);
