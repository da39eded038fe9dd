import { readFileSync } from "node:fs";
import { join } from "node:path";
import { TextDocument } from "vscode-languageserver-textdocument";
import { describe, expect, it } from "vitest";
import { AnalysisCache } from "../../src/lsp/analysis.js";
import { EXAMPLES_DIR } from "../support/examples.js";

/** What a request made while typing reads: the last check's program, with only the edited blocks bound again. */

const A = readFileSync(join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg"), "utf8");
const uri = `file://${join(EXAMPLES_DIR, "a-typed.reg")}`;

function typed(edit: (text: string) => string) {
  const cache = new AnalysisCache();
  const document = TextDocument.create(uri, "reg", 1, A);
  const checked = cache.checked(document)!;
  const next = TextDocument.update(document, [{ text: edit(A) }], 2);
  return { checked, latest: cache.latest(next)!, rechecked: cache.checked(next)! };
}

describe("the analysis of a version typed after the last check", () => {
  it("keeps what was bound for blocks the edit left alone, and binds the edited block again", () => {
    const { checked, latest } = typed((text) => text.replace("  out = dense(10)", "  h3  = dense(64)\n  out = dense(10)"));
    expect(latest.version).toBe(2);
    expect(latest.program.data.get("digits")).toBe(checked.program.data.get("digits"));
    const model = latest.program.models.get("mlp")!;
    expect(model).not.toBe(checked.program.models.get("mlp"));
    expect(model.byName.get("h3")?.paramCount).toBe(512 * 64 + 64);
  });

  it("binds what the full check of the same version binds, for the edited block", () => {
    const { latest, rechecked } = typed((text) => text.replace("dense(512, activation: relu)\n  dropout", "dense(300, activation: relu)\n  dropout"));
    const layers = (analysis: typeof latest) => analysis.program.models.get("mlp")!.layers.map((l) => [l.name, l.outputShape, l.paramCount]);
    expect(layers(latest)).toEqual(layers(rechecked));
    expect(latest.program.models.get("mlp")!.paramCount).toBe(rechecked.program.models.get("mlp")!.paramCount);
  });

  it("forgets a block the edit removed", () => {
    const { latest } = typed((text) => text.replace(/^task digit = .*$/m, ""));
    expect(latest.program.tasks.size).toBe(0);
  });

  it("an edit in a regularize block keeps every binding, and the tree read afterwards holds the edit", () => {
    const { checked, latest } = typed((text) => text.replace("regularize mlp {", "regularize mlp {\n  l2(1e-4) on h1.kernel"));
    expect(latest.program.models.get("mlp")).toBe(checked.program.models.get("mlp"));
    expect(latest.program.regularize).toBe(checked.program.regularize);
    const regularize = latest.ast.blocks.find((b) => b.kind === "RegularizeBlock");
    expect(regularize?.kind === "RegularizeBlock" && regularize.body.length).toBe((checked.ast.blocks.find((b) => b.kind === "RegularizeBlock") as { body: unknown[] }).body.length + 1);
  });
});
