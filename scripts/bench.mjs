// Runs `npm run bench` on bundled code, as users run regc: measuring the
// TypeScript sources through a loader would time the loader too.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const outfile = join(root, "bench", "dist", "index.js");

await build({
  entryPoints: [join(root, "bench", "index.ts")],
  outfile,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  external: ["ts-morph", "prettier", "@tensorflow/*"],
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  define: { "process.env.REGLANG_TRUSTED_GRAMMAR": '"1"' },
  logLevel: "warning",
});
const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], { stdio: "inherit", cwd: root });
process.exit(run.status ?? 1);
