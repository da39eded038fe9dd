import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CompletionItemKind, InsertTextFormat, type CompletionItem, type CompletionList, type MarkupContent, type TextEdit } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "../support/examples.js";
import { withCursor } from "../support/lsp-client.js";
import { LspSession } from "../support/lsp-session.js";

/**
 * Completion through the protocol. Each fixture is a document with a `<|>`
 * cursor; the answer's labels must include and exclude the listed ones (or
 * be exactly the listed ones, in order).
 */

const example = (name: string) => readFileSync(join(EXAMPLES_DIR, name), "utf8");
const A = example("a-mlp-dropout-maxnorm.reg");
const C = example("c-semi-supervised.reg");
const D = example("d-multitask-cars.reg");

const DIGITS = `data digits {
  source mnist
  target label = class(10)
  split  train: 1000, val: 500, unlabeled: 2000
}
`;

const CNN = `${DIGITS}
model cnn(digits.input) {
  c1 = conv2d(8, kernel: 3, activation: relu)
  p1 = maxpool(2)
  flatten()
  h  = dense(16, use_bias: false)
  out = dense(10)
}
`;

const TUNE = "\ntune {\n  trials 2\n}\n";

interface Case {
  name: string;
  fixture: string;
  includes?: string[];
  excludes?: string[];
  exactly?: string[];
}

const cases: Case[] = [
  // Top level: whole blocks.
  { name: "block keywords in an empty file", fixture: "<|>", exactly: ["data", "model", "task", "train", "regularize", "tune"] },
  { name: "no second train block", fixture: `${A}\n<|>`, includes: ["data", "model", "regularize"], excludes: ["train"] },
  { name: "a half-typed block keyword", fixture: `${A}\nreg<|>`, includes: ["regularize"] },

  // Settings, by block.
  { name: "data settings", fixture: "data d {\n  <|>\n}", includes: ["source", "input", "target", "features", "split", "seed"], excludes: ["optimizer", "epochs", "dense", "l2"] },
  { name: "a data setting given once is not offered again", fixture: "data d {\n  source mnist\n  target a = class(10)\n  <|>\n}", includes: ["target", "split"], excludes: ["source"] },
  { name: "train settings", fixture: "train {\n  <|>\n}", includes: ["optimizer", "epochs", "batch", "solver", "schedule", "steps_per_epoch"], excludes: ["source", "split"] },
  { name: "tune settings", fixture: `${A}\ntune {\n  <|>\n}`, exactly: ["trials", "objective", "method", "reduction", "min_epochs"] },
  { name: "the objective's direction first", fixture: `${A}\ntune {\n  objective <|>\n}`, exactly: ["maximize", "minimize"] },
  { name: "then a metric of the tuned model", fixture: `${A}\ntune {\n  objective maximize <|>\n}`, includes: ["val_accuracy", "val_loss"], excludes: ["maximize", "choice"] },
  { name: "tune methods", fixture: `${A}\ntune {\n  method <|>\n}`, exactly: ["random", "grid", "halving"] },

  // Search spaces, where a trial may vary a value, once a spec is tuned.
  { name: "no spaces in a spec that is not tuned", fixture: `${DIGITS}\nmodel m(digits.input) {\n  dropout(<|>)\n}`, excludes: ["choice", "uniform"] },
  { name: "spaces for a number", fixture: `${DIGITS}${TUNE}\nmodel m(digits.input) {\n  dropout(<|>)\n}`, includes: ["choice", "uniform", "log_uniform", "int_uniform"] },
  { name: "spaces beside the words of an argument", fixture: `${DIGITS}${TUNE}\nmodel m(digits.input) {\n  dense(8, activation: <|>)\n}`, includes: ["relu", "tanh", "choice"] },
  { name: "a choice of words lists the argument's words", fixture: `${DIGITS}${TUNE}\nmodel m(digits.input) {\n  dense(8, activation: choice(relu, <|>))\n}`, includes: ["tanh", "sigmoid"], excludes: ["choice", "uniform"] },
  { name: "spaces for a train setting", fixture: `${TUNE}train {\n  epochs <|>\n}`, includes: ["choice", "int_uniform"] },
  { name: "spaces beside optimizers", fixture: `${TUNE}train {\n  optimizer <|>\n}`, includes: ["sgd", "adam", "choice"] },
  { name: "no spaces in the data block", fixture: `${TUNE}data d {\n  seed <|>\n}`, excludes: ["choice", "uniform"] },
  { name: "no spaces for a metric", fixture: `${A}${TUNE}regularize mlp {\n  early_stop(monitor: <|>)\n}`, includes: ["val_loss"], excludes: ["choice"] },

  // Callees, by block.
  { name: "layer kinds in a model", fixture: `${DIGITS}\nmodel m(digits.input) {\n  <|>\n}`, includes: ["dense", "conv2d", "maxpool", "flatten", "dropout", "batch_norm"], excludes: ["l2", "maxnorm", "early_stop", "source"] },
  { name: "layer kinds after `NAME =`", fixture: `${DIGITS}\nmodel m(digits.input) {\n  h1 = <|>\n}`, includes: ["dense", "conv2d"], excludes: ["l2"] },
  { name: "techniques in a regularize block", fixture: `${A}\nregularize mlp {\n  <|>\n}`, includes: ["l2", "l1", "maxnorm", "augment", "early_stop", "vat", "dropout", "tie"], excludes: ["dense", "conv2d", "epochs"] },
  { name: "task kinds", fixture: `${A}\ntask t = <|>`, exactly: ["classify", "regress", "reconstruct"] },
  { name: "models after `regularize`", fixture: `${A}\nregularize <|>`, exactly: ["mlp"] },

  // Arguments: names not given yet, then values.
  { name: "argument names not yet given", fixture: `${A}\nregularize mlp {\n  early_stop(monitor: val_loss, <|>)\n}`, includes: ["patience:", "min_delta:", "restore_best:", "then:"], excludes: ["monitor:"] },
  { name: "an argument given after the cursor", fixture: `${A}\nregularize mlp {\n  early_stop(<|>, patience: 3)\n}`, includes: ["monitor:"], excludes: ["patience:"] },
  { name: "an argument written right after the cursor", fixture: `${A}\nregularize mlp {\n  early_stop(monitor: val_loss, <|>patience: 20)\n}`, includes: ["min_delta:"], excludes: ["patience:", "monitor:"] },
  { name: "a positional argument counts as given", fixture: `${DIGITS}\nmodel m(digits.input) {\n  h = dense(512, <|>)\n}`, includes: ["activation:", "use_bias:"], excludes: ["units:"] },
  { name: "enum values after `activation:`", fixture: `${DIGITS}\nmodel m(digits.input) {\n  h = dense(512, activation: <|>)\n}`, includes: ["relu", "sigmoid", "tanh", "none"], excludes: ["dense", "use_bias:"] },
  { name: "enum values while typing one", fixture: `${DIGITS}\nmodel m(digits.input) {\n  c = conv2d(8, 3, padding: sa<|>)\n}`, exactly: ["valid", "same"] },
  { name: "a positional enum argument", fixture: `${DIGITS}\nmodel m(digits.input) {\n  activation(<|>)\n}`, includes: ["relu", "activation:"] },
  { name: "a semi-supervised term's ramp shapes", fixture: `${C}\nregularize mlp {\n  consistency(ramp: 10, ramp_shape: <|>) using digits.unlabeled\n}`, exactly: ["gaussian", "linear"] },
  { name: "booleans", fixture: `${A}\nregularize mlp {\n  early_stop(restore_best: <|>)\n}`, exactly: ["true", "false"] },
  { name: "metrics after `monitor:`", fixture: `${A}\nregularize mlp {\n  early_stop(monitor: <|>)\n}`, includes: ["val_loss", "val_accuracy", "val_digit_loss", "test_accuracy"], excludes: ["val_rmse"] },
  { name: "optimizers", fixture: "train {\n  optimizer <|>\n}", exactly: ["sgd", "adam", "adamw", "rmsprop"] },
  { name: "optimizer arguments", fixture: "train {\n  optimizer adam(lr: 1e-3, <|>\n}", includes: ["beta1:", "beta2:", "epsilon:"], excludes: ["lr:", "momentum:"] },
  { name: "sources", fixture: "data d {\n  source <|>\n}", exactly: ["mnist", "csv", "json"] },
  { name: "words of a setting", fixture: "data d {\n  normalize <|>\n}", exactly: ["none", "standard", "minmax"] },
  { name: "split names not given yet", fixture: "data d {\n  split train: 0.5, <|>\n}", exactly: ["val:", "test:", "unlabeled:"] },
  { name: "split names written after the cursor", fixture: "data d {\n  split <|>train: 0.5\n}", exactly: ["val:", "test:", "unlabeled:"] },
  { name: "target types after `NAME =`", fixture: "data d {\n  source mnist\n  target label = <|>\n}", exactly: ["class", "number"] },

  // Clause targets.
  { name: "parameters the layers really have after `on`", fixture: `${CNN}\nregularize cnn {\n  l2(1e-4) on <|>\n}`, includes: ["c1.kernel", "c1.bias", "h.kernel", "out.kernel", "out.bias", "*.kernel", "*.bias"], excludes: ["p1.kernel", "h.bias", "c1", "input"] },
  { name: "a layer's parameters after `LAYER.`", fixture: `${CNN}\nregularize cnn {\n  maxnorm(3) on c1.<|>\n}`, exactly: ["kernel", "bias"] },
  { name: "nothing for a layer without parameters", fixture: `${CNN}\nregularize cnn {\n  maxnorm(3) on p1.<|>\n}`, exactly: [] },
  { name: "parameters after a glob", fixture: `${CNN}\nregularize cnn {\n  l1(1e-4) on *.<|>\n}`, exactly: ["kernel", "bias"] },
  { name: "the next target of a list", fixture: `${A}\nregularize mlp {\n  maxnorm(3) on h1.kernel, <|>\n}`, includes: ["h2.kernel", "out.kernel"] },
  { name: "layers after `on` for an activity penalty", fixture: `${A}\nregularize mlp {\n  activity_l1(1e-4) on <|>\n}`, exactly: ["h1", "h2", "out"] },
  { name: "input or layers after `on` for noise", fixture: `${A}\nregularize mlp {\n  gaussian_noise(0.1) on <|>\n}`, exactly: ["input", "h1", "h2", "out"] },
  { name: "splits after `using`, unlabeled first", fixture: `${C}\nregularize mlp {\n  vat(eps: 1) using <|>\n}`, exactly: ["digits.unlabeled", "digits.train", "digits.val", "digits.test"] },
  { name: "split names after `using DATA.`", fixture: `${C}\nregularize mlp {\n  entropy_min() using digits.<|>\n}`, includes: ["unlabeled", "train"], excludes: ["label", "input"] },
  { name: "transforms after `along`", fixture: `${A}\nregularize mlp {\n  tangent_prop(weight: 0.1) along rotate, <|>\n}`, includes: ["rotate", "translate", "scale", "manifold"] },
  { name: "earlier layers after `from`", fixture: `${DIGITS}\nmodel m(digits.input) {\n  flatten()\n  a = dense(8)\n  b = dense(4) from <|>\n  c = dense(2)\n}`, exactly: ["a"] },
  { name: "clause keywords after a technique", fixture: `${A}\nregularize mlp {\n  dropout(0.5) <|>\n}`, exactly: ["after"] },
  { name: "clause keywords after a layer", fixture: `${DIGITS}\nmodel m(digits.input) {\n  a = dense(8) <|>\n}`, exactly: ["from"] },
  { name: "parameters of `tie`, and `transpose`", fixture: `${A}\nregularize mlp {\n  tie(h2.kernel, <|>)\n}`, includes: ["h1.kernel", "transpose"], excludes: ["*.kernel", "a:"] },

  // Dotted references.
  { name: "a model's layers after `MODEL.`", fixture: `${A}\ntask t = classify(mlp.<|>`, exactly: ["h1", "h2", "out", "output"] },
  { name: "task outputs", fixture: `${A}\ntask t = classify(<|>`, includes: ["mlp.out", "mlp.output", "output:", "target:"] },
  { name: "task targets", fixture: `${A}\ntask t = classify(mlp.out, <|>`, includes: ["digits.label", "target:"], excludes: ["output:", "mlp.out"] },
  { name: "a data block's targets after `DATA.`", fixture: `${D}\ntask t = regress(shared.mpg, cars.<|>)`, exactly: ["mpg", "origin", "input"] },
  { name: "loss values of a task", fixture: `${D}\ntask t = regress(shared.mpg, cars.mpg, loss: <|>)`, exactly: ["mse", "mae", "huber"] },
  { name: "a model's input", fixture: `${DIGITS}\nmodel m(<|>`, exactly: ["digits.input"] },
  { name: "a model's input after `DATA.`", fixture: `${DIGITS}\nmodel m(digits.<|>`, exactly: ["input"] },

  // Columns of a table source.
  { name: "numeric feature columns that are not targets", fixture: 'data cars {\n  source json("vega-datasets/data/cars.json")\n  features <|>\n  target mpg = number(Miles_per_Gallon)\n}', includes: ["all", "Horsepower", "Weight_in_lbs", "Cylinders"], excludes: ["Miles_per_Gallon", "Name", "Origin"] },
  { name: "feature columns not listed yet", fixture: 'data cars {\n  source json("vega-datasets/data/cars.json")\n  features Horsepower, <|>, Cylinders\n}', includes: ["Weight_in_lbs"], excludes: ["Horsepower", "Cylinders", "all"] },
  { name: "columns inside `number(`", fixture: 'data cars {\n  source json("vega-datasets/data/cars.json")\n  target mpg = number(<|>)\n}', includes: ["Miles_per_Gallon", "Horsepower"] },
  { name: "columns inside `class(`", fixture: 'data cars {\n  source json("vega-datasets/data/cars.json")\n  target origin = class(<|>)\n}', includes: ["Origin", "count:"] },

  // Half-typed and broken text.
  { name: "a clause with no closing brace", fixture: `${A}\nregularize mlp {\n  l2(1e-4) on h<|>`, includes: ["h1.kernel", "h2.kernel"], excludes: ["l2"] },
  { name: "an unclosed call", fixture: `${DIGITS}\nmodel m(digits.input) {\n  flatten()\n  h1 = dense(512, act<|>`, includes: ["activation:"] },
  { name: "a block after one never closed", fixture: `${A.replace(/\}\s*$/, "")}\nregularize mlp {\n  <|>`, includes: ["l2"], excludes: ["dense"] },
  { name: "a statement after a broken one", fixture: `${A}\nregularize mlp {\n  l2(1e-4) on ]]\n  <|>\n}`, includes: ["maxnorm"] },
  { name: "nothing in a comment", fixture: `${A}\n// l2(1e-4) on <|>`, exactly: [] },
  { name: "nothing in a string", fixture: 'data d {\n  source csv("da<|>")\n}', exactly: [] },
  { name: "blocks after a block a stray brace closed", fixture: `${DIGITS}\nmodel m(digits.input) {\n  { flatten()\n}\n<|>`, includes: ["model", "task"], excludes: ["dense"] },
  { name: "nothing inside a number", fixture: `${DIGITS}\nmodel m(digits.input) {\n  h = dense(1<|>\n}`, exactly: [] },
  { name: "nothing right after a closed string", fixture: 'data d {\n  source csv("x.csv"<|>\n}', exactly: [] },
  { name: "nothing glued to a string that ends a clause", fixture: `${A}\nregularize mlp {\n  l2(0.1) on "x"<|>\n}`, exactly: [] },
  { name: "nothing after a value", fixture: `${A}\nregularize mlp {\n  dropout(0.5 <|>\n}`, exactly: [] },
];

const session = new LspSession("completion", { capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } } } });
/** A client that takes no snippets, as it says by leaving `snippetSupport` out (eglot without yasnippet), and reads documentation as plain text. */
const plainSession = new LspSession("completion-plain", { capabilities: { textDocument: { completion: { completionItem: { documentationFormat: ["plaintext"] } } } } });

async function complete(fixture: string, from: LspSession = session): Promise<CompletionItem[]> {
  const { text, position } = withCursor(fixture);
  const uri = from.nextUri();
  from.client.open(uri, text);
  const answer = await from.client.request<CompletionList | CompletionItem[] | null>("textDocument/completion", { textDocument: { uri }, position });
  const items = Array.isArray(answer) ? answer : (answer?.items ?? []);
  return [...items].sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
}

function find(items: CompletionItem[], label: string): CompletionItem {
  const item = items.find((i) => i.label === label);
  if (!item) throw new Error(`no completion ${label} among ${items.map((i) => i.label).join(", ")}`);
  return item;
}

const newText = (item: CompletionItem) => (item.textEdit as TextEdit).newText;

describe("completion", () => {
  it.each(cases)("$name", async ({ fixture, includes, excludes, exactly }) => {
    const labels = (await complete(fixture)).map((i) => i.label);
    if (exactly) expect(labels).toEqual(exactly);
    for (const label of includes ?? []) expect(labels).toContain(label);
    for (const label of excludes ?? []) expect(labels).not.toContain(label);
  });

  it("inserts calls as snippets with the required arguments as placeholders", async () => {
    const items = await complete(`${A}\nmodel m(digits.input) {\n  <|>\n}`);
    expect(newText(find(items, "dense"))).toBe("dense(${1:units})");
    expect(newText(find(items, "conv2d"))).toBe("conv2d(${1:filters}, ${2:kernel})");
    expect(newText(find(items, "flatten"))).toBe("flatten()");
    expect(find(items, "dense").insertTextFormat).toBe(InsertTextFormat.Snippet);

    const techniques = await complete(`${A}\nregularize mlp {\n  <|>\n}`);
    expect(newText(find(techniques, "fgsm"))).toBe("fgsm(eps: ${1:eps})");
    expect(newText(find(techniques, "early_stop"))).toBe("early_stop($1)");
    const sources = await complete("data d {\n  source <|>\n}");
    expect(newText(find(sources, "mnist"))).toBe("mnist");
    expect(newText(find(sources, "csv"))).toBe('csv("${1:path}")');
  });

  it("inserts plain text for a client without snippets: a call opened up to its first argument, a block's keyword", async () => {
    const plain = (fixture: string) => complete(fixture, plainSession);
    const layers = await plain(`${A}\nmodel m(digits.input) {\n  <|>\n}`);
    expect(layers.filter((i) => i.insertTextFormat === InsertTextFormat.Snippet || newText(i).includes("$"))).toEqual([]);
    expect(newText(find(layers, "dense"))).toBe("dense(");
    expect(newText(find(layers, "flatten"))).toBe("flatten()");
    expect(newText(find(await plain(`${A}\nregularize mlp {\n  <|>\n}`), "fgsm"))).toBe("fgsm(eps: ");
    const blocks = await plain(`${DIGITS}\n<|>`);
    expect(blocks.map((i) => [i.label, newText(i), i.kind])).toContainEqual(["model", "model", CompletionItemKind.Keyword]);
    expect(blocks.filter((i) => i.insertTextFormat === InsertTextFormat.Snippet || newText(i) !== i.label)).toEqual([]);
  });

  it("inserts only the name when a call's `(` already follows", async () => {
    const items = await complete(`${A}\nmodel m(digits.input) {\n  h = den<|>(512)\n}`);
    expect(newText(find(items, "dense"))).toBe("dense");
  });

  it("shows an argument's type, default and range, with its doc", async () => {
    const items = await complete(`${A}\nregularize mlp {\n  early_stop(<|>)\n}`);
    const patience = find(items, "patience:");
    expect(patience.detail).toBe("integer · default 10 · ≥ 0");
    expect(newText(patience)).toBe("patience: ");
    expect(JSON.stringify(patience.documentation)).toContain("Epochs without improvement");
    const units = find(await complete(`${DIGITS}\nmodel m(digits.input) {\n  dense(<|>)\n}`), "units:");
    expect(units.detail).toBe("integer · required · ≥ 1");
  });

  it("documents items in plain text for a client that reads only that", async () => {
    const l2 = find(await complete(`${A}\nregularize mlp {\n  <|>\n}`, plainSession), "l2");
    expect(l2.documentation).toMatchObject({ kind: "plaintext" });
    const doc = (l2.documentation as MarkupContent).value;
    expect(doc).toMatch(/^l2 — L2 parameter penalty/);
    expect(doc).toContain("\n    J̃(w) = J(w) + α·Σᵢ wᵢ²");
    expect(doc).not.toMatch(/\*\*|`/);
  });

  it("documents techniques from the catalog", async () => {
    const l2 = find(await complete(`${A}\nregularize mlp {\n  <|>\n}`), "l2");
    expect(l2.detail).toContain("§7.1");
    const doc = JSON.stringify(l2.documentation);
    expect(doc).toContain("J̃(w) = J(w) + α·Σᵢ wᵢ²");
    expect(doc).toContain("alpha");
  });

  it("replaces the word typed so far", async () => {
    const items = await complete(`${A}\nregularize mlp {\n  l2(1e-4) on h<|>\n}`);
    const edit = find(items, "h1.kernel").textEdit as TextEdit;
    const line = A.split("\n").length + 1;
    expect(edit.range).toEqual({ start: { line, character: 14 }, end: { line, character: 15 } });
  });

  it("writes a column that is not an identifier as a string", async () => {
    const source = 'data penguins {\n  source json("vega-datasets/data/penguins.json")\n  features ';
    const items = await complete(`${source}<|>\n}`);
    expect(newText(find(items, "Body Mass (g)"))).toBe('"Body Mass (g)"');
    expect(items.map((i) => i.label)).not.toContain("Species");
    const typingString = await complete(`${source}"Fl<|>\n}`);
    expect(typingString.map(newText)).toContain('"Flipper Length (mm)"');
    expect(typingString.every((i) => newText(i).startsWith('"'))).toBe(true);
  });

  it("offers a data block snippet built from the catalog's required settings", async () => {
    const data = find(await complete("<|>"), "data");
    expect(newText(data)).toContain("source ${2|mnist,csv,json|}");
    expect(newText(data)).toContain("split train: ");
    const model = find(await complete(`${DIGITS}\n<|>`), "model");
    expect(newText(model)).toContain("(${2:digits}.input)");
  });
});
