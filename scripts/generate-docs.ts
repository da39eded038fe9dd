// Writes docs/diagnostics.md and docs/reference.md; with --check, writes nothing and exits 1 if a committed file is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { renderReferenceDoc } from "../src/compiler/reference/reference-doc.js";
import { renderDiagnosticsDoc } from "./diagnostics-doc.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const docs: Array<[string, string]> = [
  ["diagnostics.md", renderDiagnosticsDoc(root)],
  ["reference.md", renderReferenceDoc()],
];

for (const [name, expected] of docs) {
  const target = join(root, "docs", name);
  if (process.argv.includes("--check")) {
    let current = "";
    try {
      current = readFileSync(target, "utf8");
    } catch {
      // A missing file is as stale as an old one.
    }
    if (current !== expected) {
      console.error(`docs/${name} is stale: run \`npm run docs\``);
      process.exitCode = 1;
    }
  } else {
    writeFileSync(target, expected);
    console.log(`wrote docs/${name}`);
  }
}
