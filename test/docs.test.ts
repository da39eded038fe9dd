import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_CODES } from "../src/compiler/diagnostics/messages.js";
import { renderDiagnosticsDoc } from "../scripts/diagnostics-doc.js";
import * as catalog from "../src/compiler/catalog/index.js";
import { renderReferenceDoc } from "../src/compiler/reference/reference-doc.js";

const ROOT = join(import.meta.dirname, "..");

describe("docs/diagnostics.md", () => {
  it("is up to date with the message table and examples/errors/ (run `npm run docs`)", () => {
    expect(readFileSync(join(ROOT, "docs", "diagnostics.md"), "utf8")).toBe(renderDiagnosticsDoc(ROOT));
  });

  it("has a section for every code", () => {
    const doc = renderDiagnosticsDoc(ROOT);
    for (const code of ALL_CODES) expect(doc).toContain(`### ${code}: `);
  });
});

describe("docs/reference.md", () => {
  it("is up to date with the catalog (run `npm run docs`)", () => {
    expect(readFileSync(join(ROOT, "docs", "reference.md"), "utf8")).toBe(renderReferenceDoc());
  });

  it("has an entry for every block, setting, layer, function and technique, each argument with its facts", () => {
    const doc = renderReferenceDoc();
    const anchors = [
      ...catalog.BLOCKS.map((b) => `block-${b.name}`),
      ...catalog.SETTINGS.map((s) => `${s.block}-${s.name}`),
      ...catalog.LAYERS.map((l) => `layer-${l.name}`),
      ...catalog.FUNCTIONS.map((f) => `${f.family.replace("_", "-")}-${f.name}`),
      ...catalog.TECHNIQUES.map((t) => `technique-${t.name}`),
    ];
    for (const id of anchors) expect(doc).toContain(`<a id="${id}"></a>`);
    for (const technique of catalog.TECHNIQUES) {
      expect(doc).toContain(technique.formula);
      expect(doc).toContain(`book §${technique.section}`);
    }
    for (const entry of [...catalog.LAYERS, ...catalog.FUNCTIONS, ...catalog.TECHNIQUES]) {
      for (const arg of entry.args) expect(doc).toContain(`- \`${arg.name}\` — `);
    }
    expect(doc).toContain("- `momentum` — a fraction (e.g. `0.1` or `10%`), default `0`, in [0, 1)");
  });
});
