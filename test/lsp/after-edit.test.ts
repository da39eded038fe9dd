import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { CompletionItem, CompletionList, Hover, MarkupContent } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "../support/examples.js";
import { withCursor } from "../support/lsp-client.js";
import { LspSession } from "../support/lsp-session.js";

/**
 * Answers right after an edit, before the server has checked the new
 * version: each case opens example A, waits for its diagnostics (so there is
 * a checked version to carry over), then sends the edits and asks at once.
 * Names the edits declare must be answered as if the spec had been checked.
 */

const A = readFileSync(join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg"), "utf8");
const session = new LspSession("after-edit");

/** `text` with `insert` written before the first `anchor`. */
function inserted(text: string, anchor: string, insert: string): string {
  const at = text.indexOf(anchor);
  if (at < 0) throw new Error(`no ${anchor} in the text`);
  return text.slice(0, at) + insert + text.slice(at);
}

/** Opens A, waits for it to be checked, then sends each edited version in turn without waiting; the last holds `<|>`. */
async function editedDocument(...versions: string[]) {
  const uri = session.open(A);
  await session.client.diagnostics(uri);
  for (const version of versions.slice(0, -1)) session.client.change(uri, version);
  const { text, position } = withCursor(versions[versions.length - 1]!);
  session.client.change(uri, text);
  return { uri, position };
}

async function completeAfter(...versions: string[]): Promise<string[]> {
  const { uri, position } = await editedDocument(...versions);
  const answer = await session.client.request<CompletionList | CompletionItem[] | null>("textDocument/completion", { textDocument: { uri }, position });
  return (Array.isArray(answer) ? answer : (answer?.items ?? [])).map((i) => i.label);
}

async function hoverAfter(...versions: string[]): Promise<Hover | null> {
  const { uri, position } = await editedDocument(...versions);
  return session.client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position });
}

const WITH_H3 = inserted(A, "  out = dense(10)", "  h3  = dense(64)\n");

describe("answers right after an edit", () => {
  it("a clause offers the parameters of a layer typed into the model a keystroke earlier", async () => {
    const labels = await completeAfter(WITH_H3, inserted(WITH_H3, "  maxnorm(3)", "  l2(1e-4) on <|>\n"));
    expect(labels).toContain("h3.kernel");
    expect(labels).toContain("h1.kernel");
  });

  it("`from` in the block being edited offers the layer just typed above it, and not those below", async () => {
    const labels = await completeAfter(inserted(A, "  out = dense(10)", "  h3  = dense(64)\n  h4  = dense(8) from <|>\n"));
    expect(labels).toEqual(expect.arrayContaining(["h1", "h2", "h3"]));
    expect(labels).not.toContain("h4");
    expect(labels).not.toContain("out");
  });

  it("hover on a layer declared in the edited block shows its shape and parameters", async () => {
    const answer = await hoverAfter(inserted(A, "  out = dense(10)", "  h<|>3  = dense(64)\n"));
    expect((answer!.contents as MarkupContent).value).toContain("**`h3`** — dense → 64, 32,832 parameters");
  });

  it("hover on a reference to it in another edited block", async () => {
    const answer = await hoverAfter(WITH_H3, inserted(WITH_H3, "  maxnorm(3)", "  l2(1e-4) on h<|>3.kernel\n"));
    expect((answer!.contents as MarkupContent).value).toContain("**`h3`** — dense → 64");
  });

  it("hover on a block that an edit above moved: the answer's range is where the name now stands", async () => {
    const edited = inserted(A, "data digits", "// a new first line\n");
    const answer = await hoverAfter(edited.replace("  h1  =", "  h<|>1  ="));
    expect((answer!.contents as MarkupContent).value).toContain("**`h1`** — dense → 512");
    const line = edited.split("\n").findIndex((l) => l.startsWith("  h1  ="));
    expect(answer!.range).toEqual({ start: { line, character: 2 }, end: { line, character: 4 } });
  });

  it("a model renamed by the edit is offered under its new name only", async () => {
    const renamed = A.replace("model mlp(", "model net(");
    const labels = await completeAfter(`${renamed}\nregularize <|>`);
    expect(labels).toContain("net");
    expect(labels).not.toContain("mlp");
  });

  it("diagnostics still come for the edited version once typing pauses", async () => {
    const { uri } = await editedDocument(`${inserted(A, "  out = dense(10)", "  h3  = dense(64, activation: nope)\n")}<|>`);
    const codes = (await session.client.diagnostics(uri)).map((d) => d.code);
    expect(codes).toContain("REG1010");
  });
});
