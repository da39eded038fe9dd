import { DiagnosticSeverity, type Diagnostic } from "vscode-languageserver";
import { TextDocument } from "vscode-languageserver-textdocument";
import { describe, expect, it } from "vitest";
import { AnalysisCache } from "../../src/lsp/analysis.js";
import { SPEC_BYTE_LIMIT } from "../../src/shared/spec-size.js";
import { semanticTokens } from "../../src/lsp/semantic-tokens.js";
import { largeSpec } from "../support/large-spec.js";
import { LspSession } from "../support/lsp-session.js";

/** Documents far bigger than anyone writes by hand: the server keeps answering, in time that grows with the size, and lets go of them. */

const session = new LspSession("large");

/** Every request an editor sends about one document, at a position in its middle. */
function requests(uri: string, middle: number): Array<[string, unknown]> {
  const doc = { textDocument: { uri } };
  const position = { line: middle, character: 10 };
  const range = { start: { line: middle, character: 0 }, end: { line: middle + 50, character: 0 } };
  return [
    ["textDocument/semanticTokens/full", doc],
    ["textDocument/semanticTokens/range", { ...doc, range }],
    ["textDocument/documentSymbol", doc],
    ["textDocument/foldingRange", doc],
    ["textDocument/hover", { ...doc, position }],
    ["textDocument/completion", { ...doc, position }],
    ["textDocument/signatureHelp", { ...doc, position }],
    ["textDocument/definition", { ...doc, position }],
    ["textDocument/references", { ...doc, position, context: { includeDeclaration: true } }],
    ["textDocument/rename", { ...doc, position, newName: "renamed" }],
    ["textDocument/inlayHint", { ...doc, range }],
    ["textDocument/codeAction", { ...doc, range, context: { diagnostics: [] } }],
    ["textDocument/formatting", { ...doc, options: { tabSize: 2, insertSpaces: true } }],
    ["textDocument/diagnostic", doc],
  ];
}

describe("a 5 MB document", () => {
  it("gets an answer to every request, and a diagnostic saying why it is not analysed", async () => {
    const text = largeSpec(5 * 1024 * 1024);
    const uri = session.open(text);
    const diagnostics: Diagnostic[] = await session.client.diagnostics(uri);
    expect(diagnostics.map((d) => [d.severity, d.message])).toEqual([
      [
        DiagnosticSeverity.Error,
        `This spec is ${Buffer.byteLength(text).toLocaleString("en-US")} bytes, larger than 1 MB (1,048,576 bytes), the most a spec may be: \`regc check\` refuses it too, and the editor shows no diagnostics, colours or completions in it. Split it into several specs.`,
      ],
    ]);
    const middle = Math.floor(text.split("\n").length / 2);
    for (const [method, params] of requests(uri, middle)) {
      // An error response (rename: nothing to rename here) is an answer too.
      await session.client.request(method, params).catch((error: unknown) => expect(error).toHaveProperty("code"));
    }
    // Cut below the limit by an edit, it is analysed again.
    session.client.change(uri, text.slice(0, text.indexOf("// copy 40\n")) + "train {\n  optimizer sgd(lr: 0.01)\n  epochs 1\n}\n");
    expect((await session.client.diagnostics(uri)).map((d) => d.message)).toEqual([expect.stringMatching(/^the `train` block needs the `batch` setting/)]);
  }, 60_000);
});

describe("the size limit", () => {
  it("is said to be passed with the spec's size in bytes, exactly, however little it is passed by", async () => {
    const uri = session.open(`// ${"x".repeat(SPEC_BYTE_LIMIT)}`);
    const [diagnostic] = await session.client.diagnostics(uri);
    expect(diagnostic!.message).toMatch(/^This spec is 1,048,579 bytes, larger than 1 MB \(1,048,576 bytes\)/);
  });


  it("is regc check's: counted in bytes as stored, so a spec of two-byte letters is refused at half as many characters", () => {
    // 4 + 2·letters bytes.
    const comment = (letters: number) => `// ${"é".repeat(letters)}\n`;
    const analysed = (text: string) => new AnalysisCache().checked(TextDocument.create("file:///sized.reg", "reg", 1, text)) !== undefined;
    const atLimit = comment((SPEC_BYTE_LIMIT - 4) / 2);
    expect(Buffer.byteLength(atLimit)).toBe(SPEC_BYTE_LIMIT);
    expect(analysed(atLimit)).toBe(true);
    const overLimit = comment((SPEC_BYTE_LIMIT - 4) / 2 + 1);
    expect(overLimit.length).toBeLessThan(SPEC_BYTE_LIMIT);
    expect(analysed(overLimit)).toBe(false);
  });
});

describe("semantic tokens", () => {
  it("take time linear in the document's size: 1 MB within 40 times 100 KB", () => {
    const analysisOf = (chars: number) => new AnalysisCache().checked(TextDocument.create("file:///large.reg", "reg", 1, largeSpec(chars)))!;
    const small = analysisOf(100_000);
    const large = analysisOf(1_000_000);
    expect(Buffer.byteLength(large.text)).toBeLessThanOrEqual(SPEC_BYTE_LIMIT);
    const fastest = (run: () => void, times: number) =>
      Math.min(
        ...Array.from({ length: times }, () => {
          const started = performance.now();
          run();
          return performance.now() - started;
        }),
      );
    const smallTime = fastest(() => semanticTokens(small), 5);
    const largeTime = fastest(() => semanticTokens(large), 3);
    expect(semanticTokens(large).data.length).toBeGreaterThan(9 * semanticTokens(small).data.length);
    // Linear: about 10 times, more when the larger heap makes the collector work harder; the quadratic scan this replaced took about 100.
    expect(largeTime).toBeLessThan(40 * smallTime);
  }, 120_000);
});
