import type { TextEdit } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { formatSpec } from "../../src/compiler/format/index.js";
import { applyEdits } from "../support/apply-edits.js";
import { contractExamples } from "../support/examples.js";
import { LspSession } from "../support/lsp-session.js";

/** Format document gives exactly what `regc fmt` writes, and nothing for text with syntax errors. */

const session = new LspSession("formatting");

async function format(text: string): Promise<TextEdit[]> {
  const uri = session.nextUri();
  session.client.open(uri, text);
  return session.client.request<TextEdit[]>("textDocument/formatting", { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
}

const MESSY = `data digits {
source   mnist
  target label=class( 10 )
  split train:1000,val:500
}
// kept as written
model m(digits.input){
  flatten( )
  out=dense(10)   // head
}
`;

describe("document formatting", () => {
  it("rewrites a spec into the canonical layout of `regc fmt`", async () => {
    const expected = formatSpec(MESSY);
    expect(expected.ok).toBe(true);
    const edits = await format(MESSY);
    expect(edits.length).toBeGreaterThan(0);
    expect(applyEdits(MESSY, edits)).toBe(expected.ok && expected.text);
  });

  it("leaves a formatted spec alone", async () => {
    const once = formatSpec(MESSY);
    expect(await format(once.ok ? once.text : "")).toEqual([]);
  });

  it("touches only the lines that change", async () => {
    const text = contractExamples().find((e) => e.name.startsWith("a-"))!.text;
    const messy = text.replace("  dropout(0.5)\n  h2", "  dropout( 0.5 )\n  h2");
    const edits = await format(messy);
    expect(edits).toHaveLength(1);
    expect(edits[0]!.range.start.line).toBe(messy.split("\n").findIndex((l) => l.includes("dropout( 0.5 )")));
    expect(edits[0]!.range.end.line - edits[0]!.range.start.line).toBe(1);
    expect(applyEdits(messy, edits)).toBe(text);
  });

  it("keeps Windows line endings", async () => {
    const crlf = MESSY.replace(/\n/g, "\r\n");
    const formatted = applyEdits(crlf, await format(crlf));
    expect(formatted).not.toMatch(/[^\r]\n/);
    expect(formatted.replace(/\r\n/g, "\n")).toBe(applyEdits(MESSY, await format(MESSY)));
  });

  it.each([
    ["an unclosed call", "data digits {\n  source   mnist(\n}\n"],
    ["an unterminated string", 'data d {\n  source csv("x.csv\n}\n'],
    ["a stray character", "model m(d.input) {\n  out = dense(10) @\n}\n"],
  ])("returns no edits, not an error, for %s", async (_name, text) => {
    expect(await format(text)).toEqual([]);
  });
});
