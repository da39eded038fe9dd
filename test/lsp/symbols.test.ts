import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange, type SymbolInformation } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { contractExamples } from "../support/examples.js";
import { LspSession } from "../support/lsp-session.js";

/** The outline (document symbols) and folding ranges, through the protocol. */

const session = new LspSession("symbols", { capabilities: { textDocument: { documentSymbol: { hierarchicalDocumentSymbolSupport: true } } } });
/** A client that takes the outline as a list, as one that says nothing of trees does. */
const flat = new LspSession("symbols-flat");

const open = (text: string) => session.open(text);

const example = (prefix: string) => contractExamples().find((e) => e.name.startsWith(prefix))!.text;

/** A symbol tree without positions: name, kind, detail and children. */
interface Outline {
  name: string;
  kind: SymbolKind;
  detail?: string;
  children?: Outline[];
}

function outline(symbols: readonly DocumentSymbol[]): Outline[] {
  return symbols.map((s) => ({
    name: s.name,
    kind: s.kind,
    ...(s.detail ? { detail: s.detail } : {}),
    ...(s.children?.length ? { children: outline(s.children) } : {}),
  }));
}

describe("document symbols", () => {
  it("come as a list in document order, each naming the symbol it is in, for a client that takes no tree", async () => {
    const uri = flat.open(example("a-"));
    const symbols = await flat.client.request<SymbolInformation[]>("textDocument/documentSymbol", { textDocument: { uri } });
    expect(symbols.every((s) => s.location.uri === uri && !("children" in s))).toBe(true);
    const h1 = symbols.find((s) => s.name === "h1")!;
    expect(h1).toMatchObject({ kind: SymbolKind.Field, containerName: "model mlp" });
    expect(symbols.find((s) => s.name === "model mlp")).not.toHaveProperty("containerName");
    expect(symbols.indexOf(h1)).toBe(symbols.findIndex((s) => s.name === "model mlp") + 2);
  });

  it("outlines example D: blocks, their settings and targets, layers with shapes, clauses", async () => {
    const uri = open(example("d-"));
    const symbols = await session.client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
    expect(outline(symbols)).toEqual([
      {
        name: "data cars",
        kind: SymbolKind.Struct,
        detail: "input 5",
        children: [
          { name: "source", kind: SymbolKind.Property, detail: 'json("vega-datasets/data/cars.json")' },
          { name: "features", kind: SymbolKind.Property, detail: "Horsepower, Weight_in_lbs, Displacement, Acceleration, Cylinders" },
          { name: "normalize", kind: SymbolKind.Property, detail: "standard" },
          { name: "missing", kind: SymbolKind.Property, detail: "drop" },
          { name: "mpg", kind: SymbolKind.Field, detail: "target number(Miles_per_Gallon)" },
          { name: "origin", kind: SymbolKind.Field, detail: "target class(Origin)" },
          { name: "split", kind: SymbolKind.Property, detail: "train: 0.6, val: 0.2, test: 0.2" },
          { name: "seed", kind: SymbolKind.Property, detail: "1" },
        ],
      },
      {
        name: "model shared",
        kind: SymbolKind.Class,
        detail: "2,596 parameters",
        children: [
          { name: "t1", kind: SymbolKind.Field, detail: "dense → 64" },
          { name: "t2", kind: SymbolKind.Field, detail: "dense → 32" },
          { name: "mpg", kind: SymbolKind.Field, detail: "dense → 1" },
          { name: "origin", kind: SymbolKind.Field, detail: "dense → 3" },
        ],
      },
      { name: "task economy", kind: SymbolKind.Event, detail: "regress(shared.mpg, cars.mpg, loss: huber, weight: 1.0)" },
      { name: "task region", kind: SymbolKind.Event, detail: "classify(shared.origin, cars.origin, weight: 0.5)" },
      {
        name: "train",
        kind: SymbolKind.Object,
        children: [
          { name: "optimizer", kind: SymbolKind.Property, detail: "adam(lr: 3e-3)" },
          { name: "epochs", kind: SymbolKind.Property, detail: "200" },
          { name: "batch", kind: SymbolKind.Property, detail: "32" },
        ],
      },
      {
        name: "regularize shared",
        kind: SymbolKind.Module,
        children: [
          { name: "l1", kind: SymbolKind.Function, detail: "(1e-4) on t1.kernel" },
          { name: "activity_l1", kind: SymbolKind.Function, detail: "(1e-4) on t2" },
          { name: "weight_noise", kind: SymbolKind.Function, detail: "(0.01) on *.kernel" },
          { name: "bagging", kind: SymbolKind.Function, detail: "(members: 5, combine: average)" },
          { name: "early_stop", kind: SymbolKind.Function, detail: "(monitor: val_loss, patience: 20, restore_best: true)" },
        ],
      },
    ]);
  });

  it("names unnamed layers by their call, with the shapes the checker inferred", async () => {
    const uri = open(example("b-"));
    const symbols = await session.client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
    const model = symbols.find((s) => s.name === "model cnn")!;
    expect(outline(model.children!)).toEqual([
      { name: "c1", kind: SymbolKind.Field, detail: "conv2d → 26×26×16" },
      { name: "maxpool(2)", kind: SymbolKind.Field, detail: "maxpool → 13×13×16" },
      { name: "c2", kind: SymbolKind.Field, detail: "conv2d → 11×11×32" },
      { name: "maxpool(2)", kind: SymbolKind.Field, detail: "maxpool → 5×5×32" },
      { name: "flatten()", kind: SymbolKind.Field, detail: "flatten → 800" },
      { name: "h", kind: SymbolKind.Field, detail: "dense → 128" },
      { name: "out", kind: SymbolKind.Field, detail: "dense → 10" },
    ]);
  });

  it("spans each block, and selects its name", async () => {
    const text = "data digits {\n  source mnist\n}\n\nmodel mlp(digits.input) {\n  out = dense(10)\n}\n";
    const uri = open(text);
    const [data, model] = await session.client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
    expect(data!.range).toEqual({ start: { line: 0, character: 0 }, end: { line: 2, character: 1 } });
    expect(data!.selectionRange).toEqual({ start: { line: 0, character: 5 }, end: { line: 0, character: 11 } });
    expect(model!.children![0]!.selectionRange).toEqual({ start: { line: 5, character: 2 }, end: { line: 5, character: 5 } });
  });

  it("outlines every contract example and a half-typed spec without holes in names", async () => {
    const texts = [...contractExamples().map((e) => e.text), "data {\n  source\n}\nmodel (x.input) {\n  = dense(\n}\nregularize {\n"];
    for (const text of texts) {
      const uri = open(text);
      const symbols = await session.client.request<DocumentSymbol[]>("textDocument/documentSymbol", { textDocument: { uri } });
      const names = (list: readonly DocumentSymbol[]): string[] => list.flatMap((s) => [s.name, ...names(s.children ?? [])]);
      expect(symbols.length).toBeGreaterThan(0);
      for (const name of names(symbols)) expect(name.trim()).not.toBe("");
    }
  });
});

describe("folding ranges", () => {
  it("folds blocks, multi-line calls, block comments and runs of line comments", async () => {
    const text = [
      "// A header comment", // 0
      "// over three lines",
      "// with no code.",
      "data digits {", // 3
      "  source mnist   // after code: not part of a run",
      "  // alone",
      "  input  image(28, 28, 1)",
      "  target label = class(10)",
      "  split  train: 1000, val: 500, test: 2000",
      "}", // 9
      "",
      "/* A block", // 11
      "   comment */",
      "model mlp(digits.input) {", // 13
      "  flatten()",
      "  h = dense(", // 15
      "    64,",
      "    activation: relu)", // 17
      "  out = dense(10)",
      "}", // 19
      "task digit = classify(", // 20
      "  mlp.out,",
      "  digits.label",
      ")", // 23
      "",
    ].join("\n");
    const uri = open(text);
    const ranges = await session.client.request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri } });
    expect(ranges).toEqual([
      { startLine: 0, endLine: 2, kind: FoldingRangeKind.Comment },
      { startLine: 3, endLine: 8 },
      { startLine: 11, endLine: 12, kind: FoldingRangeKind.Comment },
      { startLine: 13, endLine: 18 },
      { startLine: 15, endLine: 17 },
      { startLine: 20, endLine: 22 },
    ]);
  });

  it("folds every block of an example and nothing on one line", async () => {
    const uri = open(example("a-"));
    const ranges = await session.client.request<FoldingRange[]>("textDocument/foldingRange", { textDocument: { uri } });
    expect(ranges.map((r) => [r.startLine, r.endLine])).toEqual([
      [1, 6],
      [9, 15],
      [20, 23],
      [26, 29],
    ]);
  });
});
