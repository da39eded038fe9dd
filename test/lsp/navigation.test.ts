import type { Location, Position, Range, WorkspaceEdit } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { check } from "../../src/compiler/index.js";
import { applyEdits } from "../support/apply-edits.js";
import { LspSession } from "../support/lsp-session.js";

/**
 * Go to definition, find references and rename, through the protocol. In a
 * fixture `<|>` is the cursor and `[[…]]` marks each range the answer must
 * hold, in order.
 */

interface Fixture {
  text: string;
  position: Position;
  ranges: Range[];
}

function fixture(marked: string): Fixture {
  let text = "";
  let position: Position | undefined;
  const ranges: Range[] = [];
  const opened: Position[] = [];
  let line = 0;
  let character = 0;
  for (let i = 0; i < marked.length; ) {
    const here = { line, character };
    if (marked.startsWith("<|>", i)) {
      position = here;
      i += 3;
    } else if (marked.startsWith("[[", i)) {
      opened.push(here);
      i += 2;
    } else if (marked.startsWith("]]", i)) {
      ranges.push({ start: opened.pop()!, end: here });
      i += 2;
    } else {
      const c = marked[i++]!;
      text += c;
      if (c === "\n") {
        line++;
        character = 0;
      } else character++;
    }
  }
  if (!position) throw new Error("fixture has no <|> cursor");
  return { text, position, ranges };
}

const sortRanges = (ranges: Range[]) => [...ranges].sort((a, b) => a.start.line - b.start.line || a.start.character - b.start.character);

const DIGITS = `data digits {
  source mnist
  input  image(28, 28, 1)
  target label = class(10)
  split  train: 1000, val: 500, test: 2000
}
`;

/** Example A; `mark` writes each of its names (the model, h1, out, the glob `*.kernel`), given how many times that name came before. */
const MLP = (mark: (name: string, nth: number) => string) => {
  const seen = new Map<string, number>();
  const cursor = (name: string) => {
    const nth = seen.get(name) ?? 0;
    seen.set(name, nth + 1);
    return mark(name, nth);
  };
  return `data digits {
  source mnist
  input  image(28, 28, 1)
  target label = class(10)
  split  train: 1000, val: 500, test: 2000
}

model ${cursor("mlp")}(digits.input) {
  flatten()
  ${cursor("h1")}  = dense(512, activation: relu)
  dropout(0.5)
  h2  = dense(512, activation: relu)
  dropout(0.5)
  ${cursor("out")} = dense(10)
}

task digit = classify(${cursor("mlp")}.${cursor("out")}, digits.label)

train {
  optimizer sgd(lr: 0.01, momentum: 0.9)
  epochs    60
  batch     32
}

regularize ${cursor("mlp")} {
  maxnorm(3) on ${cursor("h1")}.kernel, h2.kernel, ${cursor("out")}.kernel
  l2(1e-5) on ${cursor("*.kernel")}
  early_stop(monitor: val_loss, patience: 20, restore_best: true)
}
`;
};

const session = new LspSession("navigation", { capabilities: { textDocument: { rename: { prepareSupport: true } } } });
/** A client that renames without asking first. */
const unprepared = new LspSession("navigation-unprepared");

const open = (text: string) => session.open(text);

async function definition(marked: string): Promise<{ found: Location | null; expected: Range | undefined; uri: string }> {
  const { text, position, ranges } = fixture(marked);
  const uri = open(text);
  const found = await session.client.request<Location | null>("textDocument/definition", { textDocument: { uri }, position });
  return { found, expected: ranges[0], uri };
}

describe("go to definition", () => {
  const cases: Array<[string, string]> = [
    [
      "a task's output layer",
      `${DIGITS}model mlp(digits.input) {\n  flatten()\n  [[out]] = dense(10)\n}\ntask digit = classify(mlp.o<|>ut, digits.label)\n`,
    ],
    [
      "a task's model",
      `${DIGITS}model [[mlp]](digits.input) {\n  flatten()\n  out = dense(10)\n}\ntask digit = classify(m<|>lp.out, digits.label)\n`,
    ],
    [
      "a task's data target",
      `${DIGITS.replace("label", "[[label]]")}model mlp(digits.input) {\n  flatten()\n  out = dense(10)\n}\ntask digit = classify(mlp.out, digits.lab<|>el)\n`,
    ],
    [
      "a model's input data",
      `${DIGITS.replace("digits", "[[digits]]")}model mlp(dig<|>its.input) {\n  flatten()\n  out = dense(10)\n}\n`,
    ],
    [
      "a `from` layer",
      `${DIGITS}model m(digits.input) {\n  flatten()\n  [[t2]] = dense(32)\n  a = dense(10) from t<|>2\n  b = dense(10) from t2\n}\n`,
    ],
    [
      "a parameter's layer in an `on` clause",
      `${DIGITS}model mlp(digits.input) {\n  flatten()\n  [[h1]] = dense(64)\n  out = dense(10)\n}\nregularize mlp {\n  maxnorm(3) on h<|>1.kernel\n}\n`,
    ],
    [
      "the model a regularize block names",
      `${DIGITS}model [[mlp]](digits.input) {\n  flatten()\n  out = dense(10)\n}\nregularize ml<|>p {\n  l2(1e-4)\n}\n`,
    ],
    [
      "a layer inside a wrapped argument (`transpose(enc.kernel)`)",
      `${DIGITS}model ae(digits.input) {\n  flatten()\n  [[enc]] = dense(64)\n  dec = dense(784)\n}\nregularize ae {\n  tie(dec.kernel, transpose(e<|>nc.kernel))\n}\n`,
    ],
    [
      "a layer named in an `after` clause",
      `${DIGITS}model mlp(digits.input) {\n  flatten()\n  [[h]] = dense(64)\n  out = dense(10)\n}\nregularize mlp {\n  dropout(0.5) after h<|>\n}\n`,
    ],
    [
      "the declaration itself",
      `${DIGITS}model mlp(digits.input) {\n  flatten()\n  [[o<|>ut]] = dense(10)\n}\n`,
    ],
  ];
  it.each(cases)("goes from %s to its declaration", async (_name, marked) => {
    const { found, expected, uri } = await definition(marked);
    expect(found).toEqual({ uri, range: expected });
  });

  it("finds the task a metric names (`val_economy_loss`)", async () => {
    const { found, expected, uri } = await definition(
      `${DIGITS}model m(digits.input) {\n  flatten()\n  out = dense(10)\n  aux = dense(10) from out\n}\n` +
        `task [[economy]] = classify(m.out, digits.label)\ntask other = classify(m.aux, digits.label)\n` +
        `regularize m {\n  early_stop(monitor: val_eco<|>nomy_loss)\n}\n`,
    );
    expect(found).toEqual({ uri, range: expected });
  });

  it.each([
    ["an argument value that shares a layer's name", `${DIGITS}model m(digits.input) {\n  flatten()\n  relu = dense(10, activation: re<|>lu)\n}\n`],
    ["a keyword", `${DIGITS}mo<|>del m(digits.input) {\n  flatten()\n  out = dense(10)\n}\n`],
    ["a catalog layer kind", `${DIGITS}model m(digits.input) {\n  flatten()\n  out = den<|>se(10)\n}\n`],
    ["an undeclared name", `${DIGITS}model m(digits.input) {\n  flatten()\n  out = dense(10) from nowh<|>ere\n}\n`],
  ])("finds nothing at %s", async (_name, marked) => {
    const { found } = await definition(marked);
    expect(found).toBeNull();
  });
});

describe("find references", () => {
  const references = async (marked: string, includeDeclaration: boolean) => {
    const { text, position, ranges } = fixture(marked);
    const uri = open(text);
    const found = await session.client.request<Location[]>("textDocument/references", { textDocument: { uri }, position, context: { includeDeclaration } });
    return { found, ranges, uri };
  };

  it("lists every use of a layer, with its declaration and the glob that matches its kernel", async () => {
    const at = (name: string, nth: number) => (name === "*.kernel" ? "[[*.kernel]]" : name !== "h1" ? name : nth === 0 ? "[[h<|>1]]" : "[[h1]]");
    const { found, ranges, uri } = await references(MLP(at), true);
    expect(ranges).toHaveLength(3);
    expect(found).toEqual(ranges.map((range) => ({ uri, range })));
  });

  it("leaves the declaration out when asked", async () => {
    const at = (name: string, nth: number) => (name === "*.kernel" ? "[[*.kernel]]" : name !== "out" ? name : nth === 0 ? "o<|>ut" : "[[out]]");
    const { found, ranges, uri } = await references(MLP(at), false);
    expect(ranges).toHaveLength(3);
    expect(found).toEqual(ranges.map((range) => ({ uri, range })));
  });

  it("lists a model's uses in tasks and regularize blocks", async () => {
    const at = (name: string, nth: number) => (name !== "mlp" ? name : nth === 0 ? "[[ml<|>p]]" : "[[mlp]]");
    const { found, ranges, uri } = await references(MLP(at), true);
    expect(ranges).toHaveLength(3);
    expect(found).toEqual(ranges.map((range) => ({ uri, range })));
  });

  it("lists the globs that match a layer's parameters or the layer itself, and not those that match neither", async () => {
    const { found, ranges, uri } = await references(
      `${DIGITS}model m(digits.input) {\n  flatten()\n  [[h<|>1]] = dense(64, activation: relu)\n  out = dense(10)\n}\n` +
        `task t = classify(m.out, digits.label)\nregularize m {\n  l2(1e-4) on [[h*.kernel]], o*.kernel\n  activity_l1(1e-4) on [[h*]]\n}\n`,
      true,
    );
    expect(found).toEqual(ranges.map((range) => ({ uri, range })));
  });

  it("keeps layers of different models apart", async () => {
    const { found, ranges, uri } = await references(
      `${DIGITS}model a(digits.input) {\n  flatten()\n  [[o<|>ut]] = dense(10)\n}\n` +
        `model b(digits.input) {\n  flatten()\n  out = dense(10)\n}\n` +
        `task ta = classify(a.[[out]], digits.label)\ntask tb = classify(b.out, digits.label)\n`,
      true,
    );
    expect(found).toEqual(sortRanges(ranges).map((range) => ({ uri, range })));
  });
});

describe("rename", () => {
  const prepare = async (marked: string) => {
    const { text, position, ranges } = fixture(marked);
    const uri = open(text);
    const answer = session.client.request<{ range: Range; placeholder: string } | null>("textDocument/prepareRename", { textDocument: { uri }, position });
    return { answer, ranges };
  };
  const rename = async (marked: string, newName: string) => {
    const { text, position } = fixture(marked);
    const uri = open(text);
    const edit = await session.client.request<WorkspaceEdit>("textDocument/rename", { textDocument: { uri }, position, newName });
    return { text, edits: edit.changes?.[uri] ?? [] };
  };
  const renameError = async (marked: string, newName: string) => {
    const { text, position } = fixture(marked);
    const uri = open(text);
    return session.client.request("textDocument/rename", { textDocument: { uri }, position, newName }).then(
      () => "accepted",
      (error: Error) => error.message,
    );
  };
  /** The cursor in the first occurrence of `target`. */
  const cursorOn = (target: string) => (name: string, nth: number) => (name === target && nth === 0 ? `${name.slice(0, 1)}<|>${name.slice(1)}` : name);

  it("is announced with prepareRename only to a client that says it asks first", () => {
    expect(session.client.serverCapabilities.renameProvider).toEqual({ prepareProvider: true });
    expect(unprepared.client.serverCapabilities.renameProvider).toBe(true);
  });

  it("prepares a declared name: its range and current text", async () => {
    const { answer, ranges } = await prepare(MLP((name, nth) => (name === "h1" && nth === 0 ? "[[h<|>1]]" : name)));
    expect(await answer).toEqual({ range: ranges[0], placeholder: "h1" });
  });

  it("refuses nothing in particular (whitespace) with no answer", async () => {
    const { answer } = await prepare(`${DIGITS}model m(digits.input) {\n<|>  flatten()\n  out = dense(10)\n}\n`);
    expect(await answer).toBeNull();
  });

  it.each([
    ["a keyword", `${DIGITS}reg<|>ularize m {\n}\n`, /keyword/],
    ["a catalog layer kind", `${DIGITS}model m(digits.input) {\n  flatten()\n  out = den<|>se(10)\n}\n`, /catalog/],
    ["a catalog setting", `${DIGITS}train {\n  epo<|>chs 3\n}\n`, /catalog/],
    ["an undeclared name", `${DIGITS}model m(digits.input) {\n  out = dense(10) from nowh<|>ere\n}\n`, /not a data, model, layer, task or target name/],
    ["a column of a data file", 'data cars {\n  source json("vega-datasets/data/cars.json")\n  features Horse<|>power\n  target mpg = number(Miles_per_Gallon)\n}\n', /`Horsepower` is a column that `cars`'s data file names: rename it in the file, then here/],
    ["a layer's parameter", MLP((name) => name).replace("h1.kernel", "h1.ker<|>nel"), /`kernel` is a parameter layer `h1` has by its kind/],
    ["a split", MLP((name) => name).replace("train: 1000", "tr<|>ain: 1000"), /`train` names a split/],
    ["a metric", MLP((name) => name).replace("monitor: val_loss", "monitor: val_l<|>oss"), /`val_loss` is a metric the run reports/],
  ])("refuses %s with a reason", async (_name, marked, reason) => {
    const { answer } = await prepare(marked);
    await expect(answer).rejects.toThrow(reason);
  });

  it("refuses a rename in a document that is not open, saying so", async () => {
    const uri = session.nextUri();
    const answer = session.client.request("textDocument/rename", { textDocument: { uri }, position: { line: 0, character: 0 }, newName: "x" });
    await expect(answer).rejects.toThrow(`${uri} is not open`);
  });

  it("renames a layer at its declaration and every use", async () => {
    const { text, edits } = await rename(MLP(cursorOn("h1")), "hidden");
    expect(edits).toHaveLength(2);
    expect(applyEdits(text, edits)).toBe(MLP((name) => (name === "h1" ? "hidden" : name)));
  });

  it("renames a model from a use", async () => {
    const { text, edits } = await rename(MLP((name, nth) => (name === "mlp" && nth === 2 ? "m<|>lp" : name)), "net");
    expect(applyEdits(text, edits)).toBe(MLP((name) => (name === "mlp" ? "net" : name)));
  });

  it("renames a task inside the metrics that name it, and the spec still checks", async () => {
    const spec =
      `${DIGITS}model m(digits.input) {\n  flatten()\n  out = dense(10)\n  aux = dense(10) from out\n}\n` +
      `task e<|>conomy = classify(m.out, digits.label)\ntask other = classify(m.aux, digits.label)\n` +
      `train {\n  optimizer adam(lr: 1e-3)\n  epochs 3\n  batch 32\n}\n` +
      `regularize m {\n  early_stop(monitor: val_economy_accuracy)\n}\n`;
    const { text, edits } = await rename(spec, "fuel");
    const renamed = applyEdits(text, edits);
    expect(renamed).toContain("task fuel = classify");
    expect(renamed).toContain("monitor: val_fuel_accuracy");
    expect(check(renamed).diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  });

  it("renames a data target in its binding and in tasks", async () => {
    const spec = `${DIGITS.replace("label", "la<|>bel")}model m(digits.input) {\n  flatten()\n  out = dense(10)\n}\ntask t = classify(m.out, digits.label)\n`;
    const { text, edits } = await rename(spec, "digit");
    expect(applyEdits(text, edits)).toBe(text.replace(/label/g, "digit"));
  });

  it.each([
    ["not an identifier", "2fast", /not a valid name/],
    ["a glob", "h*", /not a valid name/],
    ["two words", "a b", /not a valid name/],
    ["a keyword", "model", /keyword/],
    ["a layer of the same model", "h2", /already the name of a layer in `mlp`/],
    ["a block name", "digits", /already the name of a data/],
    ["a word the language gives a meaning", "output", /already has a meaning/],
  ])("refuses a new name that is %s", async (_name, newName, reason) => {
    const target = newName === "digits" ? "mlp" : "h1";
    expect(await renameError(MLP(cursorOn(target)), newName)).toMatch(reason);
  });

  /** Layers matched by name patterns: `h*.kernel` holds h1 and h2's kernels, `h*` both layers. */
  const GLOBBED = (layers: string, regularize: string) =>
    `${DIGITS}model m(digits.input) {\n  flatten()\n${layers}}\ntask t = classify(m.out, digits.label)\nregularize m {\n${regularize}}\n`;
  const LAYERS = `  h<|>1 = dense(64, activation: relu)\n  h2 = dense(64, activation: relu)\n  d<|>rop = dropout(0.5)\n  o<|>ut = dense(10)\n`;
  /** The layers with the cursor on one of them: `h1`, `drop` or `out`. */
  const cursorAt = (name: string) => LAYERS.replace(/<\|>/g, "").replace(` ${name} =`, ` ${name.slice(0, 1)}<|>${name.slice(1)} =`);

  it.each([
    ["out of a parameter glob", "h1", "dense1", "  l2(1e-4) on h*.kernel\n", /`h\*\.kernel` on line 16 regularizes: it matches `h1`'s parameters now, and would not as `dense1`/],
    ["into a parameter glob", "out", "h3", "  l2(1e-4) on h*.kernel\n", /`h\*\.kernel` on line 16 regularizes: it would match `out`'s parameters as `h3`, which it does not now/],
    ["out of a layer glob", "h1", "dense1", "  activity_l1(1e-4) on h*\n", /`h\*` on line 16 regularizes: it matches `h1` now, and would not as `dense1`/],
  ])("refuses to move a layer %s, naming the glob and its line", async (_name, layer, newName, regularize, reason) => {
    expect(await renameError(GLOBBED(cursorAt(layer), regularize), newName)).toMatch(reason);
  });

  it.each([
    ["a name the glob still matches", "h1", "h9"],
    ["a layer with no parameter the glob could match", "drop", "h_drop"],
  ])("renames a layer under a glob to %s", async (_name, layer, newName) => {
    const { text, edits } = await rename(GLOBBED(cursorAt(layer), "  l2(1e-4) on h*.kernel\n"), newName);
    expect(applyEdits(text, edits)).toBe(text.replace(` ${layer} =`, ` ${newName} =`));
  });

  it("renames a layer in a glob of its parameters (h1.*) with its other uses", async () => {
    const { text, edits } = await rename(GLOBBED(cursorAt("h1"), "  l2(1e-4) on h1.*\n"), "dense1");
    expect(applyEdits(text, edits)).toBe(text.replace(/h1\b/g, "dense1"));
  });

  it("allows a layer to take a name used in another model", async () => {
    const spec =
      `${DIGITS}model a(digits.input) {\n  flatten()\n  o<|>ut = dense(10)\n}\n` +
      `model b(digits.input) {\n  flatten()\n  head = dense(10)\n}\n`;
    const { text, edits } = await rename(spec, "head");
    expect(applyEdits(text, edits)).toBe(text.replace("out =", "head ="));
  });
});

describe("positions", () => {
  it("answer in UTF-16 code units, as LSP counts them", async () => {
    const { found, expected } = await definition(
      `// 𝛼 ≥ 0\n${DIGITS}model mlp(digits.input) {\n  flatten()\n  /* 𝛼 */ [[out]] = dense(10)\n}\ntask digit = classify(mlp.o<|>ut, digits.label)\n`,
    );
    expect(found?.range).toEqual(expected);
  });
});
