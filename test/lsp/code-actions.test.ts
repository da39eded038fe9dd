import { CodeActionKind, type CodeAction, type Diagnostic } from "vscode-languageserver";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { applyEdits } from "../support/apply-edits.js";
import { contractExamples, EXAMPLES_DIR } from "../support/examples.js";
import { LspSession } from "../support/lsp-session.js";

/**
 * Quick fixes: each compiler fix is offered on its diagnostic; applying the
 * edit makes that diagnostic go away.
 */

const session = new LspSession("code-actions");

const example = (prefix: string) => contractExamples().find((e) => e.name.startsWith(prefix))!.text;

interface Opened {
  uri: string;
  diagnostic: Diagnostic;
}

/** Opens the text and waits for the diagnostic with this code. */
async function openWith(text: string, code: string): Promise<Opened> {
  const uri = session.nextUri();
  session.client.open(uri, text);
  const diagnostic = (await session.client.diagnostics(uri)).find((d) => d.code === code);
  if (!diagnostic) throw new Error(`no ${code} published for the fixture`);
  return { uri, diagnostic };
}

function codeActions(uri: string, diagnostics: Diagnostic[], only?: string[]): Promise<CodeAction[]> {
  const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return session.client.request<CodeAction[]>("textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics, ...(only ? { only } : {}) } });
}

/** Applies the action's edit, sends the new text, and returns it with the diagnostics published for it. */
async function apply(uri: string, text: string, action: CodeAction): Promise<{ fixed: string; after: Diagnostic[] }> {
  const fixed = applyEdits(text, action.edit?.changes?.[uri] ?? []);
  session.client.change(uri, fixed);
  return { fixed, after: await session.client.diagnostics(uri) };
}

describe("quick fixes", () => {
  it("corrects a misspelled layer kind (`dnese` → `dense`), as the preferred fix", async () => {
    const text = example("a-").replace("out = dense(10)", "out = dnese(10)");
    const { uri, diagnostic } = await openWith(text, "REG1002");
    const actions = await codeActions(uri, [diagnostic]);
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({ title: "Replace `dnese` with `dense`", kind: CodeActionKind.QuickFix, isPreferred: true, diagnostics: [diagnostic] });
    const { fixed, after } = await apply(uri, text, actions[0]!);
    expect(fixed).toBe(example("a-"));
    expect(after).toEqual([]);
  });

  it("corrects a misspelled layer name in a clause", async () => {
    const text = example("a-").replace("maxnorm(3) on h1.kernel", "maxnorm(3) on hl.kernel");
    const { uri, diagnostic } = await openWith(text, "REG1005");
    const [action] = await codeActions(uri, [diagnostic]);
    expect(action?.isPreferred).toBe(true);
    const { after } = await apply(uri, text, action!);
    expect(after.map((d) => d.code)).not.toContain("REG1005");
  });

  it("removes an unused layer", async () => {
    const text = example("a-").replace("  out = dense(10)\n", "  out = dense(10)\n  spare = dense(7)\n");
    const { uri, diagnostic } = await openWith(text, "REG5003");
    const [action] = await codeActions(uri, [diagnostic]);
    expect(action).toMatchObject({ title: "Remove layer `spare`", kind: CodeActionKind.QuickFix });
    expect(action!.isPreferred).toBe(false);
    const { fixed, after } = await apply(uri, text, action!);
    expect(fixed).toBe(example("a-"));
    expect(after).toEqual([]);
  });

  it("adds the l2 clause a closed-form solve needs, in a new regularize block", async () => {
    const text = example("f-").replace(/\nregularize linear \{[^}]*\}\n/, "");
    const { uri, diagnostic } = await openWith(text, "REG4006");
    const [action] = await codeActions(uri, [diagnostic]);
    expect(action?.title).toMatch(/^Add `regularize linear \{ .* \}`$/);
    const { fixed, after } = await apply(uri, text, action!);
    expect(fixed).toMatch(/regularize linear \{\n {2}\w+\(0\.1\) on out\.kernel\n\}\n$/);
    expect(after.map((d) => d.code)).not.toContain("REG4006");
    expect(after.filter((d) => d.severity === 1)).toEqual([]);
  });

  it("adds the l2 clause into the model's existing regularize block", async () => {
    const text = example("f-").replace("  l2(0.1) on out.kernel\n", "  maxnorm(3) on out.kernel\n");
    const { uri, diagnostic } = await openWith(text, "REG4006");
    const [action] = await codeActions(uri, [diagnostic]);
    const { fixed, after } = await apply(uri, text, action!);
    expect(fixed).toMatch(/regularize linear \{\n {2}maxnorm\(3\) on out\.kernel\n {2}\w+\(0\.1\) on out\.kernel\n\}\n$/);
    expect(after.map((d) => d.code)).not.toContain("REG4006");
  });

  it("normalizes features of very different scales: adds `normalize standard`, or replaces `normalize none`", async () => {
    const text = readFileSync(join(EXAMPLES_DIR, "errors", "REG6005-unnormalized-features.reg"), "utf8");
    for (const written of [text, text.replace("  missing  drop\n", "  missing  drop\n  normalize none\n")]) {
      const { uri, diagnostic } = await openWith(written, "REG6005");
      const [action] = await codeActions(uri, [diagnostic]);
      expect(action).toMatchObject({ title: "Normalize the features (`normalize standard`)", kind: CodeActionKind.QuickFix });
      const { fixed, after } = await apply(uri, written, action!);
      expect(fixed.match(/^ {2}normalize standard$/gm)).toHaveLength(1);
      expect(after).toEqual([]);
    }
  });

  it("offers nothing for a diagnostic without a fix", async () => {
    const text = example("a-").replace("dropout(0.5)", "dropout(1.5)");
    const { uri, diagnostic } = await openWith(text, "REG2001");
    expect(await codeActions(uri, [diagnostic])).toEqual([]);
  });

  it("matches diagnostics by code and range: a stale one gets nothing", async () => {
    const text = example("a-").replace("out = dense(10)", "out = dnese(10)");
    const { uri, diagnostic } = await openWith(text, "REG1002");
    const moved = { ...diagnostic, range: { start: diagnostic.range.start, end: { ...diagnostic.range.end, character: diagnostic.range.end.character + 1 } } };
    expect(await codeActions(uri, [moved])).toEqual([]);
    expect(await codeActions(uri, [{ ...diagnostic, code: "REG1001" }])).toEqual([]);
  });

  it("offers one fix per diagnostic when asked about several", async () => {
    const text = example("a-").replace("out = dense(10)", "out = dnese(10)").replace("l2(1e-5)", "l3(1e-5)");
    const uri = session.nextUri();
    session.client.open(uri, text);
    const diagnostics = (await session.client.diagnostics(uri)).filter((d) => d.code === "REG1002" || d.code === "REG1001");
    expect(diagnostics).toHaveLength(2);
    const actions = await codeActions(uri, diagnostics);
    expect(actions.map((a) => a.title)).toEqual(["Replace `dnese` with `dense`", "Replace `l3` with `l2`"]);
  });

  it("offers quick fixes only to a client that asks for them", async () => {
    const text = example("a-").replace("out = dense(10)", "out = dnese(10)");
    const { uri, diagnostic } = await openWith(text, "REG1002");
    expect(await codeActions(uri, [diagnostic], [CodeActionKind.Refactor])).toEqual([]);
    expect(await codeActions(uri, [diagnostic], [CodeActionKind.QuickFix])).toHaveLength(1);
  });
});
