// Runs `npm run bench` on bundled code, as users run regc: measuring the
// TypeScript sources through a loader would time the loader too.
import { build } from "esbuild";
import { NODE_BUNDLE } from "./bundle-options.mjs";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "bench", "dist", "index.js");

await build({ ...NODE_BUNDLE, entryPoints: [join(root, "bench", "index.ts")], outfile });
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
process.exit(run.status ?? 1);
