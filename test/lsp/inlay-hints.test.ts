import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { InlayHint, Range } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "../support/examples.js";
import { LspSession } from "../support/lsp-session.js";

/** Inlay hints through the protocol: each layer line ends with its output shape and parameter count. */

const example = (name: string) => readFileSync(join(EXAMPLES_DIR, name), "utf8");
const A = example("a-mlp-dropout-maxnorm.reg");
const B = example("b-convnet-adversarial-tangent.reg");

const session = new LspSession("inlay-hints");


const WHOLE: Range = { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } };

async function hints(text: string, range: Range = WHOLE): Promise<InlayHint[]> {
  const uri = session.nextUri();
  session.client.open(uri, text);
  return (await session.client.request<InlayHint[] | null>("textDocument/inlayHint", { textDocument: { uri }, range })) ?? [];
}

/** Each hint as `line text ⟨label⟩`, with the hint placed where it sits. */
function rendered(text: string, found: InlayHint[]): string[] {
  const lines = text.split("\n");
  return found.map((hint) => {
    const line = lines[hint.position.line]!;
    return `${line.slice(0, hint.position.character)} ⟨${String(hint.label)}⟩${line.slice(hint.position.character)}`;
  });
}

describe("inlay hints", () => {
  it("ends each layer line of example A with its shape and parameter count", async () => {
    expect(rendered(A, await hints(A))).toEqual([
      "  flatten() ⟨→ 784⟩",
      "  h1  = dense(512, activation: relu) ⟨→ 512 · 401,920 params⟩",
      "  dropout(0.5) ⟨→ 512⟩",
      "  h2  = dense(512, activation: relu) ⟨→ 512 · 262,656 params⟩",
      "  dropout(0.5) ⟨→ 512⟩",
      "  out = dense(10) ⟨→ 10 · 5,130 params⟩",
    ]);
  });

  it("gives convolution and pooling shapes in example B", async () => {
    const found = rendered(B, await hints(B));
    expect(found).toContain("  c1  = conv2d(16, kernel: 3, activation: relu) ⟨→ 26×26×16 · 160 params⟩");
    expect(found).toContain("  maxpool(2) ⟨→ 13×13×16⟩");
    expect(found).toContain("  c2  = conv2d(32, kernel: 3, activation: relu) ⟨→ 11×11×32 · 4,640 params⟩");
  });

  it("answers only for the requested range", async () => {
    const line = A.split("\n").findIndex((l) => l.startsWith("  h2"));
    const found = await hints(A, { start: { line, character: 0 }, end: { line, character: 80 } });
    expect(found.map((h) => h.label)).toEqual(["→ 512 · 262,656 params"]);
  });

  it("is a padded type hint whose tooltip lists the parameters", async () => {
    const h1 = (await hints(A)).find((h) => String(h.label).includes("401,920"))!;
    expect(h1.paddingLeft).toBe(true);
    expect(h1.kind).toBe(1);
    expect(h1.tooltip).toBe("kernel 784×512, bias 512");
  });

  it("leaves out layers whose shape is unknown, and counts no parameters of a layer whose input is unknown", async () => {
    // Without `flatten`, `h1` gets an image (an error) and the dropout after it is unknown; `h2` gives 512 values from any vector.
    const text = A.replace("  flatten()\n", "");
    expect(rendered(text, await hints(text))).toEqual([
      "  h2  = dense(512, activation: relu) ⟨→ 512⟩",
      "  dropout(0.5) ⟨→ 512⟩",
      "  out = dense(10) ⟨→ 10 · 5,130 params⟩",
    ]);
  });

  it("still answers while another block is broken", async () => {
    const text = `${A}\nregularize mlp {\n  l2(1e-4) on`;
    expect(await hints(text)).toHaveLength(6);
  });
});
