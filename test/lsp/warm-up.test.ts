import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { describe, expect, it } from "vitest";
import { check } from "../../src/compiler/index.js";
import { AnalysisCache } from "../../src/lsp/analysis.js";
import { warmUpVersions } from "../../src/lsp/warm-up.js";
import { contractExamples } from "../support/examples.js";

describe("warming up the language server on an opened document", () => {
  const examples = contractExamples();

  it("checks the text, then the text with a space typed at the end of one line, lines spread from its start to its end", () => {
    for (const { name, text } of examples) {
      const lines = text.split("\n");
      const [first, ...edited] = warmUpVersions(text);
      expect(first).toBe(text);
      expect(edited.length, name).toBe(Math.min(lines.length, 64));
      const editedLines = edited.map((version) => {
        const versionLines = version.split("\n");
        expect(versionLines).toHaveLength(lines.length);
        const changed = versionLines.flatMap((line, at) => (line === lines[at] ? [] : [at]));
        expect(changed).toHaveLength(1);
        expect(versionLines[changed[0]!]).toBe(`${lines[changed[0]!]} `);
        return changed[0]!;
      });
      // Evenly spread: in order, each line at most once, the first in the first stretch and the last in the last.
      expect(editedLines).toEqual([...new Set(editedLines)].sort((a, b) => a - b));
      expect(editedLines[0]!).toBeLessThan(lines.length / edited.length);
      expect(editedLines.at(-1)!).toBeGreaterThanOrEqual(lines.length - lines.length / edited.length - 1);
    }
  });

  it("types before a line's break, whichever break the document uses", () => {
    const text = examples[0]!.text.replace(/\n/g, "\r\n");
    for (const version of warmUpVersions(text).slice(1)) {
      expect(version.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
      expect(version.split("\r\n").filter((line) => line.endsWith(" ")).length).toBeGreaterThan(0);
    }
  });

  it("edits a large document fewer times, so that a warm-up checks about as many lines whatever the size", () => {
    const large = Array.from({ length: 20_000 }, (_, i) => `// line ${i}`).join("\n");
    expect(warmUpVersions(large)).toHaveLength(1 + 6);
    const middling = Array.from({ length: 4_000 }, (_, i) => `// line ${i}`).join("\n");
    expect(warmUpVersions(middling)).toHaveLength(1 + 32);
  });

  it("leaves what the document's own checks report and bind as a check from scratch has them", () => {
    for (const { name, path, text } of examples) {
      const uri = pathToFileURL(path).href;
      const cache = new AnalysisCache();
      const opened = TextDocument.create(uri, "reg", 1, text);
      cache.checked(opened);
      for (const step of cache.warmUpSteps(opened)) step();
      const edited = `${text.replace("\n", " \n")}`;
      const analysis = cache.checked(TextDocument.create(uri, "reg", 2, edited))!;
      expect(analysis.diagnostics, name).toEqual(check(edited, { path }).diagnostics);
      expect(analysis.program.symbols, name).toEqual(check(edited, { path }).program.symbols);
    }
  });
});
