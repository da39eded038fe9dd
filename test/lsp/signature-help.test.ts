import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { MarkupContent, SignatureHelp } from "vscode-languageserver";
import { describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "../support/examples.js";
import { withCursor } from "../support/lsp-client.js";
import { LspSession } from "../support/lsp-session.js";

/**
 * Signature help through the protocol. Each fixture puts the `<|>` cursor
 * inside a call; the answer names the call's signature and the parameter
 * being typed (`null` when none fits).
 */

const A = readFileSync(join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg"), "utf8");
const inModel = (line: string) => `${A}\nmodel m(digits.input) {\n  ${line}\n}`;
const inRegularize = (line: string) => `${A}\nregularize mlp {\n  ${line}\n}`;

interface Case {
  name: string;
  fixture: string;
  label: string;
  active: number | null;
}

const DENSE = "dense(units, activation = none, use_bias = true)";
const EARLY_STOP = "early_stop(monitor = val_loss, patience = 10, min_delta = 0, restore_best = true, then = none)";

const cases: Case[] = [
  { name: "a search space, inside the argument it stands for", fixture: inModel("dropout(uniform(0.2, <|>))"), label: "uniform(low, high)", active: 1 },
  { name: "a choice's values", fixture: inModel("h = dense(8, activation: choice(relu, <|>))"), label: "choice(values…)", active: 0 },
  { name: "a space in a train setting", fixture: `${A}\ntrain {\n  epochs int_uniform(<|>)\n}`, label: "int_uniform(low, high)", active: 0 },
  { name: "a layer, first argument", fixture: inModel("h = dense(<|>)"), label: DENSE, active: 0 },
  { name: "a named argument being given", fixture: inModel("h = dense(512, activation: <|>)"), label: DENSE, active: 1 },
  { name: "a name being typed", fixture: inModel("h = dense(512, use<|>)"), label: DENSE, active: 2 },
  { name: "no positional parameter left: the first argument still to name", fixture: inModel("h = dense(512, <|>)"), label: DENSE, active: 1 },
  { name: "a call of named arguments only, just opened", fixture: inRegularize("early_stop(<|>)"), label: EARLY_STOP, active: 0 },
  { name: "after a named argument, the next one not given", fixture: inRegularize("early_stop(monitor: val_loss, <|>)"), label: EARLY_STOP, active: 1 },
  { name: "a second positional argument", fixture: inModel("c = conv2d(16, <|>)"), label: "conv2d(filters, kernel, stride = 1, padding = valid, activation = none, use_bias = true)", active: 1 },
  { name: "a variadic argument", fixture: inModel("reshape(28, 28, <|>)"), label: "reshape(shape…)", active: 0 },
  { name: "a technique", fixture: inRegularize("early_stop(monitor: val_loss, patience: <|>)"), label: EARLY_STOP, active: 1 },
  { name: "a technique's positional argument", fixture: inRegularize("l2(<|>) on *.kernel"), label: "l2(alpha)", active: 0 },
  { name: "an optimizer in a setting", fixture: "train {\n  optimizer adam(<|>\n}", label: "adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7)", active: 0 },
  { name: "a source", fixture: 'data d {\n  source csv(<|>"x.csv")\n}', label: "csv(path)", active: 0 },
  { name: "a target type", fixture: "data d {\n  source mnist\n  target label = class(<|>)\n}", label: "class(count)", active: 0 },
  { name: "a task", fixture: `${A}\ntask t = classify(mlp.out, <|>)`, label: "classify(output, target, weight = 1, loss = cross_entropy)", active: 1 },
  { name: "a transform in a clause", fixture: inRegularize("tangent_prop(weight: 0.1) along manifold(<|>)"), label: "manifold(model, k = 10)", active: 0 },
  { name: "the inner call of nested calls", fixture: inRegularize("tie(h2.kernel, transpose(<|>))"), label: "transpose(param)", active: 0 },
  { name: "the outer call after an inner one", fixture: inRegularize("tie(transpose(h1.kernel), <|>)"), label: "tie(a, b)", active: 1 },
  { name: "a list inside a call", fixture: inRegularize("augment(scale: [0.9, <|>])"), label: "augment(rotate, translate, scale, shear, flip, elastic, crop)", active: 2 },
  { name: "a number being typed", fixture: inModel("h = dense(16<|>"), label: DENSE, active: 0 },
  { name: "a number being typed as a named argument", fixture: "train {\n  optimizer adam(lr: 1e-2<|>)\n}", label: "adam(lr = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7)", active: 0 },
  { name: "a number being typed in a later slot", fixture: inModel("c = conv2d(16, 3<|>)"), label: "conv2d(filters, kernel, stride = 1, padding = valid, activation = none, use_bias = true)", active: 1 },
  { name: "a string just closed", fixture: 'data d {\n  source csv("fish.csv"<|>\n}', label: "csv(path)", active: 0 },
  { name: "a choice's number being typed", fixture: inModel("dropout(choice(0.9, 0<|>))"), label: "choice(values…)", active: 0 },
  { name: "a call never closed, in a block never closed", fixture: `${A}\nregularize mlp {\n  pgd(eps: 0.1, steps: <|>`, label: "pgd(eps, steps = 10, step, weight = 1, random_start = true)", active: 1 },
];

const session = new LspSession("signature-help");
const plainText = new LspSession("signature-help-plain", { capabilities: { textDocument: { signatureHelp: { signatureInformation: { documentationFormat: ["plaintext"] } } } } });

async function signatureHelp(fixture: string, from: LspSession = session): Promise<SignatureHelp | null> {
  const { text, position } = withCursor(fixture);
  const uri = from.nextUri();
  from.client.open(uri, text);
  return from.client.request<SignatureHelp | null>("textDocument/signatureHelp", { textDocument: { uri }, position });
}

describe("signature help", () => {
  it.each(cases)("$name", async ({ fixture, label, active }) => {
    const help = await signatureHelp(fixture);
    expect(help?.signatures[0]?.label).toBe(label);
    expect(help?.activeParameter ?? null).toBe(active);
    expect(help?.signatures[0]?.activeParameter ?? null).toBe(active);
  });

  it("leaves the active parameter out, not null, where none is active", async () => {
    const help = await signatureHelp(inModel("h = dense(512, activation: relu, use_bias: true, <|>)"));
    expect(help?.signatures[0]?.label).toBe(DENSE);
    expect(help).not.toHaveProperty("activeParameter");
    expect(help!.signatures[0]).not.toHaveProperty("activeParameter");
  });

  it("locates each parameter in the label and documents it from the catalog", async () => {
    const help = await signatureHelp(inModel("h = dense(512, activation: <|>)"));
    const signature = help!.signatures[0]!;
    const [start, end] = signature.parameters![1]!.label as [number, number];
    expect(signature.label.slice(start, end)).toBe("activation = none");
    expect((signature.parameters![0]!.documentation as MarkupContent).value).toBe("`integer · required · ≥ 1` — Number of outputs (neurons).");
    expect((signature.documentation as MarkupContent).value).toContain("fully connected");
  });

  it("documents the signature and its parameters in plain text for a client that reads only that", async () => {
    const signature = (await signatureHelp(inModel("h = dense(<|>)"), plainText))!.signatures[0]!;
    expect(signature.parameters![0]!.documentation).toEqual({ kind: "plaintext", value: "integer · required · ≥ 1 — Number of outputs (neurons)." });
    expect((signature.documentation as MarkupContent).kind).toBe("plaintext");
  });

  it("gives a technique's title and book section", async () => {
    const help = await signatureHelp(inRegularize("maxnorm(<|>)"));
    expect((help!.signatures[0]!.documentation as MarkupContent).value).toContain("Max-norm constraint (book §7.2)");
  });

  it.each([
    ["outside any call", "train {\n  epochs 3<|>\n}"],
    ["an unknown callee", inModel("h = florp(<|>)")],
    ["a comment", `${A}\n// dense(<|>`],
  ])("says nothing %s", async (_name, fixture) => {
    expect(await signatureHelp(fixture)).toBeNull();
  });
});
