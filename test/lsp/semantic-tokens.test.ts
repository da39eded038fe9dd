import type { SemanticTokens } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { SEMANTIC_TOKENS_LEGEND } from "../../src/lsp/semantic-tokens.js";
import { contractExamples } from "../support/examples.js";
import { LspSession } from "../support/lsp-session.js";

/**
 * Semantic tokens, decoded from the wire format back into the text they
 * cover and their type, so expectations read as the spec does.
 */

const session = new LspSession("semantic-tokens");

const open = (text: string) => session.open(text);

const example = (prefix: string) => contractExamples().find((e) => e.name.startsWith(prefix))!.text;

interface Decoded {
  line: number;
  character: number;
  text: string;
  /** `type` or `type.modifier…`. */
  type: string;
}

/** Undoes the relative encoding: each token's line is relative to the last, its start too when on the same line. */
function decode(text: string, tokens: SemanticTokens): Decoded[] {
  const lines = text.split(/\r\n|\r|\n/);
  const decoded: Decoded[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < tokens.data.length; i += 5) {
    const [deltaLine, deltaStart, length, type, modifiers] = tokens.data.slice(i, i + 5) as [number, number, number, number, number];
    line += deltaLine;
    character = deltaLine === 0 ? character + deltaStart : deltaStart;
    const names = SEMANTIC_TOKENS_LEGEND.tokenModifiers.filter((_, bit) => modifiers & (1 << bit));
    decoded.push({ line, character, text: lines[line]!.slice(character, character + length), type: [SEMANTIC_TOKENS_LEGEND.tokenTypes[type], ...names].join(".") });
  }
  return decoded;
}

/** One string per line that has tokens: `text:type` pairs in order. */
function byLine(decoded: readonly Decoded[]): Record<number, string> {
  const lines: Record<number, string> = {};
  for (const token of decoded) lines[token.line] = `${lines[token.line] ? `${lines[token.line]} ` : ""}${token.text}:${token.type}`;
  return lines;
}

async function tokens(text: string): Promise<Decoded[]> {
  const uri = open(text);
  return decode(text, await session.client.request<SemanticTokens>("textDocument/semanticTokens/full", { textDocument: { uri } }));
}

describe("semantic tokens", () => {
  it("colour example A by what each word names", async () => {
    expect(byLine(await tokens(example("a-")))).toEqual({
      0: "// 1,000 real MNIST digits; the rest held out.:comment",
      1: "data:keyword digits:namespace.declaration",
      2: "source:property.defaultLibrary mnist:function.defaultLibrary",
      3: "input:property.defaultLibrary image:function.defaultLibrary 28:number 28:number 1:number",
      4: "target:property.defaultLibrary label:property.declaration class:function.defaultLibrary 10:number",
      5: "split:property.defaultLibrary train:parameter 1000:number val:parameter 500:number test:parameter 2000:number",
      6: "seed:property.defaultLibrary 7:number",
      9: "model:keyword mlp:class.declaration digits:namespace input:property",
      10: "flatten:function.defaultLibrary",
      11: "h1:variable.declaration dense:function.defaultLibrary 512:number activation:parameter relu:enumMember",
      12: "dropout:function.defaultLibrary 0.5:number",
      13: "h2:variable.declaration dense:function.defaultLibrary 512:number activation:parameter relu:enumMember",
      14: "dropout:function.defaultLibrary 0.5:number",
      15: "out:variable.declaration dense:function.defaultLibrary 10:number",
      18: "task:keyword digit:event.declaration classify:function.defaultLibrary mlp:class out:variable digits:namespace label:property",
      20: "train:keyword",
      21: "optimizer:property.defaultLibrary sgd:function.defaultLibrary lr:parameter 0.01:number momentum:parameter 0.9:number",
      22: "epochs:property.defaultLibrary 60:number",
      23: "batch:property.defaultLibrary 32:number",
      26: "regularize:keyword mlp:class",
      27: "maxnorm:function.defaultLibrary 3:number on:keyword h1:variable kernel:property h2:variable kernel:property out:variable kernel:property",
      28: "l2:function.defaultLibrary 1e-5:number on:keyword *:variable kernel:property",
      29: "early_stop:function.defaultLibrary monitor:parameter val_loss:enumMember patience:parameter 20:number restore_best:parameter true:keyword",
    });
  });

  it("split a unit from its number, and colour transforms and `input`", async () => {
    const lines = Object.values(byLine(await tokens(example("b-"))));
    expect(lines).toContain(
      "augment:function.defaultLibrary rotate:parameter 10:number deg:type translate:parameter 2:number px:type scale:parameter 0.9:number 1.1:number",
    );
    expect(lines).toContain("gaussian_noise:function.defaultLibrary 0.1:number on:keyword input:enumMember");
    expect(lines).toContain("tangent_prop:function.defaultLibrary weight:parameter 0.01:number along:keyword rotate:function.defaultLibrary translate:function.defaultLibrary");
  });

  it("split a block comment into one token per line", async () => {
    const decoded = await tokens("/* one\n   two\n\n   three */\ndata d {\n}\n");
    expect(decoded.filter((t) => t.type === "comment")).toEqual([
      { line: 0, character: 0, text: "/* one", type: "comment" },
      { line: 1, character: 0, text: "   two", type: "comment" },
      { line: 3, character: 0, text: "   three */", type: "comment" },
    ]);
  });

  it("colour the task inside a metric that names it", async () => {
    const spec =
      "data digits {\n  source mnist\n  target label = class(10)\n  split train: 100, val: 100\n}\n" +
      "model m(digits.input) {\n  flatten()\n  out = dense(10)\n  aux = dense(10) from out\n}\n" +
      "task economy = classify(m.out, digits.label)\ntask other = classify(m.aux, digits.label)\n" +
      "regularize m {\n  early_stop(monitor: val_economy_loss)\n}\n";
    const lines = byLine(await tokens(spec));
    expect(lines[8]).toBe("aux:variable.declaration dense:function.defaultLibrary 10:number from:keyword out:variable");
    expect(lines[13]).toBe("early_stop:function.defaultLibrary monitor:parameter val_:enumMember economy:event _loss:enumMember");
  });

  it("colour an unresolved reference as a plain variable and an unknown callee as a function", async () => {
    const lines = byLine(await tokens("model m(d.input) {\n  x = dnese(3) from nowhere\n}\n"));
    expect(lines[1]).toBe("x:variable.declaration dnese:function 3:number from:keyword nowhere:variable");
  });

  it("answer a range request with the tokens inside it, positions still relative", async () => {
    const text = example("a-");
    const uri = open(text);
    const range = { start: { line: 11, character: 0 }, end: { line: 13, character: 0 } };
    const inRange = decode(text, await session.client.request<SemanticTokens>("textDocument/semanticTokens/range", { textDocument: { uri }, range }));
    expect(Object.values(byLine(inRange))).toEqual([
      "h1:variable.declaration dense:function.defaultLibrary 512:number activation:parameter relu:enumMember",
      "dropout:function.defaultLibrary 0.5:number",
    ]);
    expect(inRange[0]).toMatchObject({ line: 11, character: 2 });
  });

  it("never overlap and never cross a line, on every example", async () => {
    for (const { text } of contractExamples()) {
      const decoded = await tokens(text);
      const lines = text.split("\n");
      let previous = { line: -1, end: 0 };
      for (const token of decoded) {
        expect(token.line > previous.line || token.character >= previous.end).toBe(true);
        expect(token.character + token.text.length).toBeLessThanOrEqual(lines[token.line]!.length);
        expect(token.text.trim()).not.toBe("");
        previous = { line: token.line, end: token.character + token.text.length };
      }
    }
  });
});
