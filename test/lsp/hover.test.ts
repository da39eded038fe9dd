import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Hover, MarkupContent } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "../support/examples.js";
import { withCursor } from "../support/lsp-client.js";
import { LspSession } from "../support/lsp-session.js";

/**
 * Hover through the protocol. Each fixture puts the `<|>` cursor inside a
 * word of a contract example; the markdown must include the listed texts.
 */

const example = (name: string) => readFileSync(join(EXAMPLES_DIR, name), "utf8");
const A = example("a-mlp-dropout-maxnorm.reg");
const B = example("b-convnet-adversarial-tangent.reg");
const C = example("c-semi-supervised.reg");
const D = example("d-multitask-cars.reg");
const E = example("e-tied-autoencoder.reg");
const TUNING = example("tuning/a-dropout-maxnorm.reg");

/** Puts the cursor `at` characters into the first occurrence of `anchor` in `text`. */
function cursorIn(text: string, anchor: string, at = 1): string {
  const start = text.indexOf(anchor);
  if (start < 0) throw new Error(`no ${anchor} in the text`);
  return text.slice(0, start + at) + "<|>" + text.slice(start + at);
}

interface Case {
  name: string;
  fixture: string;
  includes: string[];
}

const cases: Case[] = [
  { name: "a block keyword", fixture: cursorIn(A, "regularize mlp", 3), includes: ["**`regularize`** — block", "Example:"] },
  { name: "a data block keyword", fixture: cursorIn(A, "data digits", 1), includes: ["**`data`** — block"] },
  { name: "a search space", fixture: cursorIn(TUNING, "uniform(0.2"), includes: ["uniform", "A number drawn uniformly from [low, high]"] },
  { name: "a choice", fixture: cursorIn(TUNING, "choice(1"), includes: ["One of the values listed"] },
  { name: "a tune setting", fixture: cursorIn(TUNING, "objective"), includes: ["What the search optimizes"] },
  { name: "a tune method", fixture: cursorIn(TUNING, "halving", 2), includes: ["asynchronous successive halving"] },
  // Declared names: what the checker inferred.
  { name: "a layer's declaration", fixture: cursorIn(A, "h1  ="), includes: ["**`h1`** — dense → 512, 401,920 parameters", "784", "kernel 784×512, bias 512"] },
  { name: "a layer reference in a clause", fixture: cursorIn(A, "h2.kernel"), includes: ["`h2`** — dense → 512, 262,656 parameters"] },
  { name: "a layer reference in a task", fixture: cursorIn(A, "mlp.out", 5), includes: ["`out`** — dense → 10, 5,130 parameters"] },
  { name: "a model's last layer as `MODEL.output`", fixture: cursorIn(E, "ae.output", 4), includes: ["reshape → 28×28×1"] },
  { name: "a conv layer", fixture: cursorIn(B, "c1  ="), includes: ["conv2d → 26×26×16, 160 parameters", "kernel 3×3×1×16, bias 16"] },
  { name: "an image data block", fixture: cursorIn(A, "digits {"), includes: ["**data `digits`** — mnist", "Images 28×28×1, 10 classes", "| `train` | 1,000 |", "| `test` | 2,000 |", "`label` — class, 10 classes"] },
  { name: "a table data block", fixture: cursorIn(D, "cars {"), includes: ["cars.json, 406 rows", "`Horsepower` — number, 6 missing · feature", "`Origin` — string, 3 distinct · target", "| `train` | 235 |"] },
  { name: "a data reference", fixture: cursorIn(A, "mlp(digits.input)", 5), includes: ["**data `digits`**"] },
  { name: "a model", fixture: cursorIn(A, "mlp(digits"), includes: ["**model `mlp`**", "669,706 parameters"] },
  { name: "a target", fixture: cursorIn(A, "digits.label", 8), includes: ["**target `label`** of `digits` — class, 10 classes"] },
  { name: "a task", fixture: cursorIn(A, "digit ="), includes: ["**task `digit`** — classify", "`accuracy`"] },
  { name: "a column", fixture: cursorIn(D, "Horsepower"), includes: ["**column `Horsepower`**", "6 missing"] },
  // Globs: what the checker matched them against.
  { name: "a glob of parameters", fixture: cursorIn(A, "*.kernel", 3), includes: ["**`*.kernel`** — glob: 3 parameters of model `mlp`", "- `h1.kernel` 784×512\n- `h2.kernel` 512×512\n- `out.kernel` 512×10"] },
  { name: "a glob's star", fixture: cursorIn(A, "*.kernel", 0), includes: ["**`*.kernel`** — glob: 3 parameters"] },
  { name: "a glob over a layer without a name", fixture: cursorIn(A.replace("h2  = dense", "dense"), "*.kernel"), includes: ["- `h1.kernel` 784×512\n- `dense_4.kernel` 512×512\n- `out.kernel` 512×10"] },
  { name: "a glob of one layer's parameters", fixture: cursorIn(A, "*.kernel").replace("on *<|>.kernel", "on h1.*<|>"), includes: ["**`h1.*`** — glob: 2 parameters of model `mlp`", "- `h1.kernel` 784×512\n- `h1.bias` 512"] },
  { name: "a glob that matches nothing", fixture: cursorIn(A.replace("on *.kernel", "on *.gamma"), "*.gamma", 3), includes: ["**`*.gamma`** — glob: matches no parameter of model `mlp`"] },
  { name: "a glob of layers", fixture: `${A}\nregularize mlp {\n  activity_l1(1e-4) on h<|>*\n}`, includes: ["**`h*`** — glob: 2 layers of model `mlp`", "- `h1` dense → 512\n- `h2` dense → 512"] },

  // Vocabulary: what the catalog says.
  { name: "a technique", fixture: cursorIn(A, "maxnorm(3)"), includes: ["Max-norm constraint", "book §7.2", "wⱼ ← wⱼ · min(1, c / ‖wⱼ‖₂)", "`c` — a number, required, > 0", "Srivastava"] },
  { name: "a technique's defaults", fixture: cursorIn(A, "early_stop"), includes: ["`patience` — an integer, default `10`", "book §7.8"] },
  { name: "a layer kind", fixture: cursorIn(A, "dense(512"), includes: ["**`dense`** — layer", "fully connected", "`units` — an integer, required, ≥ 1"] },
  { name: "a layer kind with a book section", fixture: cursorIn(A, "dropout(0.5)"), includes: ["**`dropout`** — layer · book §7.12"] },
  { name: "an argument name", fixture: cursorIn(A, "activation: relu", 3), includes: ["**`activation`** — argument of `dense`", "default `none`"] },
  { name: "an argument's range", fixture: cursorIn(A, "momentum"), includes: ["argument of `sgd`", "in [0, 1)", "default `0`"] },
  { name: "an enum value", fixture: cursorIn(A, "relu"), includes: ["argument of `dense`"] },
  { name: "an optimizer", fixture: cursorIn(A, "sgd("), includes: ["**`sgd`** — optimizer", "Stochastic gradient descent", "`lr` — a number, default `0.01`"] },
  { name: "a source", fixture: cursorIn(A, "mnist"), includes: ["**`mnist`** — source"] },
  { name: "a task kind", fixture: cursorIn(A, "classify"), includes: ["**`classify`** — task", "**Metrics:** `loss`, `accuracy`"] },
  { name: "a transform", fixture: cursorIn(B, "along rotate", 7), includes: ["**`rotate`** — transform", "Rotation about the image centre"] },
  { name: "a function inside an argument", fixture: cursorIn(E, "transpose"), includes: ["**`transpose`** — tie operand"] },
  { name: "a setting keyword", fixture: cursorIn(A, "epochs"), includes: ["**`epochs`** — train setting (required)", "Passes over the training split"] },
  { name: "the steps_per_epoch setting", fixture: cursorIn(A.replace("batch     32", "batch     32\n  steps_per_epoch 100"), "steps_per_epoch"), includes: ["**`steps_per_epoch`** — train setting (optional)", "largest split in use"] },
  { name: "a semi-supervised term's formula says its ramp", fixture: cursorIn(C, "consistency"), includes: ["Consistency regularization (Π-model)", "(1/K)", "exp(−5(1 − t)²)", "`ramp_shape` — one of `gaussian`, `linear`, default `gaussian`"] },
  { name: "a data setting keyword", fixture: cursorIn(D, "missing"), includes: ["**`missing`** — data setting (optional)", "`error`, `drop`, `mean`"] },
  { name: "a setting's word", fixture: cursorIn(D, "standard"), includes: ["**`normalize`**"] },

  // Broken text.
  { name: "a technique in a block never closed", fixture: `${A}\nregularize mlp {\n  l<|>1(1e-4) on h1.kernel`, includes: ["L1 parameter penalty (lasso)"] },
  { name: "a layer in a half-typed clause", fixture: `${A}\nregularize mlp {\n  l1(1e-4) on h<|>1.kernel,`, includes: ["`h1`** — dense → 512"] },
];

const session = new LspSession("hover");
/** Clients that list the formats they read, most preferred first. */
const plainOnly = new LspSession("hover-plain", { capabilities: { textDocument: { hover: { contentFormat: ["plaintext"] } } } });
const plainFirst = new LspSession("hover-plain-first", { capabilities: { textDocument: { hover: { contentFormat: ["plaintext", "markdown"] } } } });
const markdownFirst = new LspSession("hover-markdown-first", { capabilities: { textDocument: { hover: { contentFormat: ["markdown", "plaintext"] } } } });

async function hover(fixture: string, from: LspSession = session): Promise<Hover | null> {
  const { text, position } = withCursor(fixture);
  const uri = from.nextUri();
  from.client.open(uri, text);
  return from.client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position });
}

describe("hover", () => {
  it.each(cases)("$name", async ({ fixture, includes }) => {
    const answer = await hover(fixture);
    expect(answer).not.toBeNull();
    const markdown = answer!.contents as MarkupContent;
    expect(markdown.kind).toBe("markdown");
    for (const text of includes) expect(markdown.value).toContain(text);
  });

  it.each([
    ["\\n", "\n"],
    ["\\r\\n", "\r\n"],
    ["\\r", "\r"],
  ])("shows a block keyword's entry in a spec whose lines end in %s", async (_name, eol) => {
    const uri = session.nextUri();
    session.client.open(uri, ["// the run", "train {", "  epochs 3", "}", ""].join(eol));
    const answer = await session.client.request<Hover | null>("textDocument/hover", { textDocument: { uri }, position: { line: 1, character: 2 } });
    expect((answer?.contents as MarkupContent | undefined)?.value).toContain("**`train`** — block");
  });

  it("covers the word it describes", async () => {
    const answer = await hover(cursorIn(A, "maxnorm(3)", 3));
    const line = A.split("\n").findIndex((l) => l.includes("maxnorm(3)"));
    expect(answer!.range).toEqual({ start: { line, character: 2 }, end: { line, character: 9 } });
  });

  it.each([
    ["a comment", cursorIn(A, "1,000 real", 2)],
    ["a number", cursorIn(A, "512,", 1)],
    ["blank space", `${A}\n  <|>\n`],
    ["an unknown word", `${A}\nregularize mlp {\n  florp<|>(1)\n}`],
  ])("says nothing on %s", async (_name, fixture) => {
    expect(await hover(fixture)).toBeNull();
  });
});

describe("hover for a client that reads plain text", () => {
  it("reduces the markdown to text: no bold or code markers, code blocks indented", async () => {
    const technique = (await hover(cursorIn(A, "maxnorm(3)", 3), plainOnly))!.contents as MarkupContent;
    expect(technique.kind).toBe("plaintext");
    expect(technique.value).toMatch(/^maxnorm — Max-norm constraint/);
    expect(technique.value).toContain("\n    wⱼ ← wⱼ · min(1, c / ‖wⱼ‖₂)");
    expect(technique.value).not.toMatch(/\*\*|`/);
    const block = (await hover(cursorIn(A, "regularize mlp", 3), plainOnly))!.contents as MarkupContent;
    expect(block.value).toContain("Example:\n\n    regularize ");
    expect(block.value).not.toMatch(/\*\*|`/);
  });

  it("follows the order of the formats a client lists", async () => {
    expect(((await hover(cursorIn(A, "maxnorm(3)", 3), plainFirst))!.contents as MarkupContent).kind).toBe("plaintext");
    expect(((await hover(cursorIn(A, "maxnorm(3)", 3), markdownFirst))!.contents as MarkupContent).kind).toBe("markdown");
  });
});
