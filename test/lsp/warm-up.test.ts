import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { describe, expect, it } from "vitest";
import { check } from "../../src/compiler/index.js";
import { chunkStarts } from "../../src/compiler/syntax/chunks.js";
import { AnalysisCache } from "../../src/lsp/analysis.js";
import { warmUpVersions } from "../../src/lsp/warm-up.js";
import { contractExamples } from "../support/examples.js";

/** Each top-level chunk's text: what an edit of one block leaves the same in the others. */
function chunksOf(text: string): string[] {
  const starts = chunkStarts(text);
  return starts.map((start, i) => text.slice(start, starts[i + 1] ?? text.length));
}

describe("warming up the language server on an opened document", () => {
  const examples = contractExamples();

  it("checks the text, then the text edited inside one block at a time, each of its first six blocks in turn", () => {
    for (const { text } of examples) {
      const chunks = chunksOf(text);
      const [first, ...edited] = warmUpVersions(text);
      expect(first).toBe(text);
      expect(edited).toHaveLength(Math.min(chunks.length, 6));
      edited.forEach((version, block) => {
        const changed = chunksOf(version).flatMap((chunk, at) => (chunk === chunks[at] ? [] : [at]));
        expect(changed).toEqual([block]);
        expect(version.length).toBe(text.length + 1);
      });
    }
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
