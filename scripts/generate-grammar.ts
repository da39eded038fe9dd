/**
 * Regenerates grammar/railroad.html, the railroad diagram of the parser's
 * grammar. `--check` only compares, and exits 1 when the committed file is stale.
 *
 * Chevrotain's page loads its drawing scripts and stylesheet from unpkg by
 * default; they ship inside the chevrotain package, so they are inlined here
 * and the page works offline.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createSyntaxDiagramsCode } from "chevrotain";
import { serializedGrammar } from "../src/compiler/syntax/parser.js";

export const RAILROAD_PATH = join(import.meta.dirname, "..", "grammar", "railroad.html");

/** Stands in for the unpkg address, so each reference can be swapped for the file's text. */
const LOCAL = "reg-inline:";

const DIAGRAMS_DIR = join(dirname(createRequire(import.meta.url).resolve("chevrotain")), "..", "..", "diagrams");

export function railroadHtml(): string {
  const linked = createSyntaxDiagramsCode(serializedGrammar(), {
    resourceBase: LOCAL,
    css: `${LOCAL}diagrams.css`,
  });
  const html = linked
    .replace(/<link rel='stylesheet' href='reg-inline:([^']+)'>/g, (_, file: string) => `<style>\n${diagramsFile(file)}</style>`)
    .replace(/<script src='reg-inline:([^']+)'><\/script>/g, (_, file: string) => `<script>\n${diagramsFile(file)}</script>`);
  if (html.includes(LOCAL)) throw new Error("a diagrams resource was left linked, not inlined");
  // Trailing spaces in chevrotain's template would otherwise trip whitespace checks.
  return html.replace(/[ \t]+$/gm, "");
}

/** A file of chevrotain's diagrams folder, safe to place inside a <script> or <style> element. */
function diagramsFile(file: string): string {
  const text = readFileSync(join(DIAGRAMS_DIR, file), "utf8").replace(/<\/(script|style)/gi, "<\\/$1");
  return text.endsWith("\n") ? text : `${text}\n`;
}

function main(): void {
  const fresh = railroadHtml();
  if (process.argv.includes("--check")) {
    let committed = "";
    try {
      committed = readFileSync(RAILROAD_PATH, "utf8");
    } catch {
      // A missing file is stale too.
    }
    if (committed !== fresh) {
      console.error("grammar/railroad.html is stale: run `npm run grammar`");
      process.exit(1);
    }
    return;
  }
  writeFileSync(RAILROAD_PATH, fresh);
  console.log(`wrote ${RAILROAD_PATH}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
