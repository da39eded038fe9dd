import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/compiler/index.js";
import { emitTypeScript } from "../src/compiler/emit/emit.js";
import { EXAMPLES_DIR } from "./support/examples.js";

/**
 * How `along` reaches the generated code: transforms by name, and
 * `manifold(AE, k:)` as the autoencoder the run trains first, passed to the
 * techniques of the model that reads it.
 */

async function compile(text: string): Promise<string> {
  const path = join(EXAMPLES_DIR, "tangents.reg");
  const checked = check(text, { path });
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const emitted = await emitTypeScript({ checked, text, specPath: path, outDir: join(EXAMPLES_DIR, "out") });
  if (!emitted.ok) throw new Error(emitted.diagnostics.map((d) => d.message).join("\n"));
  return emitted.code;
}

/** Code without layout or line comments, so that prettier's line breaks and the source notes do not matter. */
const flat = (code: string) => code.replace(/\/\/[^\n]*/g, "").replace(/\s+/g, "").replace(/,([}\])])/g, "$1");

const DIGITS = `data digits {
  source mnist
  input  image(28, 28, 1)
  target label = class(10)
  split  train: 1000, val: 500, test: 1000
}
`;

const CLASSIFIER = `model mlp(digits.input) {
  flatten()
  h   = dense(128, activation: relu)
  out = dense(10)
}

task digit = classify(mlp.out, digits.label)

train {
  optimizer adam(lr: 1e-3)
  epochs    10
  batch     32
}
`;

describe("along in generated code", () => {
  it("lists the transforms of contract example B", async () => {
    const code = await compile(readFileSync(join(EXAMPLES_DIR, "b-convnet-adversarial-tangent.reg"), "utf8"));
    expect(code).toContain('reg.tangentProp(0.01, { along: ["rotate", "translate"] })');
  });

  it("gives tangent_distance its neighbours and transforms", async () => {
    const code = await compile(`${DIGITS}\n${CLASSIFIER}\nregularize mlp {\n  tangent_distance(k: 3) along rotate, translate, scale, shear, thickness\n}\n`);
    expect(flat(code)).toContain(flat('reg.tangentDistance({ along: ["rotate", "translate", "scale", "shear", "thickness"], k: 3 })'));
  });

  it("writes a transform called with empty parentheses as the transform itself", async () => {
    const code = await compile(`${DIGITS}\n${CLASSIFIER}\nregularize mlp {\n  tangent_prop(0.01) along rotate(), translate\n}\n`);
    expect(code).toContain('reg.tangentProp(0.01, { along: ["rotate", "translate"] })');
  });

  it("trains the autoencoder a manifold reads first, and hands it to the techniques of the model that reads it", async () => {
    const autoencoder = `model cae(digits.input) {
  flatten()
  dense(256, activation: relu)
  code = dense(32, activation: sigmoid)
  dense(784, activation: sigmoid)
  reshape(28, 28, 1)
}

task recon = reconstruct(cae.output, digits.input)

regularize cae {
  contractive(0.01) on code
}
`;
    const code = flat(await compile(`${DIGITS}\n${autoencoder}\n${CLASSIFIER}\nregularize mlp {\n  tangent_prop(weight: 0.3) along manifold(cae, k: 5)\n}\n`));
    // Its own tasks and techniques; the reading model's techniques take it as a parameter.
    expect(code).toContain(flat('export const caeTasks: reg.Task[] = [ reg.reconstruct("recon",'));
    expect(code).toContain(flat('export const tasks: reg.Task[] = [ reg.classify("digit",'));
    expect(code).toContain(flat('export function caeTechniques(): reg.Technique[] { return [ reg.contractive(0.01, { on: ["code"] }) ]; }'));
    expect(code).toContain(flat("export function mlpTechniques(caeModel: reg.Model): reg.Technique[]"));
    // The code is the narrowest layer.
    expect(code).toContain(flat('reg.tangentProp(0.3, { along: [reg.manifold(caeModel, { code: "code", k: 5 })] })'));
    // Trained to the end first, then the classifier.
    const pretrain = code.indexOf(flat("const caeTrainer = await run.pretrainer({ model: caeModel, data, tasks: caeTasks, techniques: caeTechniques(),"));
    const finished = code.indexOf(flat("await run.finishPretrained(caeTrainer);"));
    const main = code.indexOf(flat("const trainer = await run.trainer({ model, data, tasks, techniques: mlpTechniques(caeModel),"));
    expect(pretrain).toBeGreaterThan(0);
    expect(finished).toBeGreaterThan(pretrain);
    expect(main).toBeGreaterThan(finished);
  });
});
