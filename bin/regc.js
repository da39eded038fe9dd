#!/usr/bin/env node
// The CLI is one bundled file for a fast start; `npm run build` makes it.
import("../dist/regc.js").catch((error) => {
  if (error?.code !== "ERR_MODULE_NOT_FOUND" || !String(error.url).endsWith("/dist/regc.js")) throw error;
  process.stderr.write("regc: error: dist/regc.js is missing; run `npm run build` in the reglang package\n");
  process.exitCode = 2;
});
