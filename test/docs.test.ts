import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_CODES } from "../src/compiler/diagnostics/messages.js";
import { renderDiagnosticsDoc } from "../scripts/diagnostics-doc.js";

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
