// Writes docs/diagnostics.md; with --check, writes nothing and exits 1 if the committed file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderDiagnosticsDoc } from "./diagnostics-doc.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const target = join(root, "docs", "diagnostics.md");
const expected = renderDiagnosticsDoc(root);

if (process.argv.includes("--check")) {
  let current = "";
  try {
    current = readFileSync(target, "utf8");
  } catch {
    // A missing file is as stale as an old one.
  }
  if (current !== expected) {
    console.error("docs/diagnostics.md is stale: run `npm run docs`");
    process.exitCode = 1;
  }
} else {
  writeFileSync(target, expected);
  console.log("wrote docs/diagnostics.md");
}
