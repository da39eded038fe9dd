import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { EXAMPLES, ROOT, startRegc } from "./support.js";

/**
 * `regc run` on the tangent family (book §7.14): contract example B,
 * shortened, and the manifold tangent classifier, whose autoencoder the
 * run trains first.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-tangents-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs a spec text for `epochs` epochs on wasm; the run folder and its metrics. */
async function run(name: string, text: string, epochs: number): Promise<{ folder: string; metrics: FinalMetrics; stderr: string }> {
  const folder = join(scratch, name);
  mkdirSync(folder);
  writeFileSync(join(folder, `${name}.reg`), text);
  const finished = await startRegc(["run", `${name}.reg`, "--backend", "wasm", "--epochs", String(epochs), "--runs", "runs"], folder);
  expect(finished.code, finished.stderr).toBe(0);
  const runs = join(folder, "runs");
  const [only] = readdirSync(runs).filter((entry) => !entry.startsWith("."));
  const runFolder = join(runs, only!);
  return { folder: runFolder, metrics: JSON.parse(readFileSync(join(runFolder, "metrics.json"), "utf8")) as FinalMetrics, stderr: finished.stderr };
}

describe("contract example B, shortened", () => {
  // B as written, on 500 training digits for 2 epochs; and the same with a tangent_prop weight 100 times larger.
  const example = readFileSync(join(EXAMPLES, "b-convnet-adversarial-tangent.reg"), "utf8");
  const shortened = example.replace("split  train: 2000, val: 500, test: 2000", "split  train: 500, val: 200, test: 500");
  const stronger = shortened.replace("tangent_prop(weight: 0.01)", "tangent_prop(weight: 1)");

  it("trains with all its clauses, and its tangent_prop makes the network flatter along rotations and shifts", async () => {
    expect(shortened).not.toBe(example);
    expect(stronger).not.toBe(shortened);
    const [written, strong] = await Promise.all([run("b", shortened, 2), run("b-strong", stronger, 2)]);
    const code = readFileSync(join(written.folder, "b.ts"), "utf8");
    expect(code).toContain(`reg.tangentProp(0.01, { along: ["rotate", "translate"] })`);
    const accuracy = written.metrics.splits["test"]!["accuracy"]!;
    const sensitivity = (metrics: FinalMetrics) => metrics.extra!["tangent_prop"]!["test_sensitivity"]!;
    console.log(
      `shortened B: test accuracy ${accuracy.toFixed(3)}, under fgsm ${written.metrics.extra!["test under fgsm(eps: 0.1)"]!["accuracy"]!.toFixed(3)}; ` +
        `test Σ‖J·v‖² ${sensitivity(written.metrics).toFixed(4)} at weight 0.01, ${sensitivity(strong.metrics).toFixed(4)} at weight 1`,
    );
    expect(accuracy).toBeGreaterThan(0.3);
    expect(written.metrics.extra!["test under fgsm(eps: 0.1)"]!["accuracy"]!).toBeLessThan(accuracy);
    expect(written.stderr).toContain("tangent_prop: test_sensitivity");
    expect(sensitivity(strong.metrics)).toBeLessThan(sensitivity(written.metrics) * 0.75);
  }, 120_000);
});

describe("the manifold tangent classifier", () => {
  const spec = `data digits {
  source mnist
  input  image(28, 28, 1)
  target label = class(10)
  split  train: 300, val: 100, test: 200
}

model cae(digits.input) {
  flatten()
  code = dense(32, activation: sigmoid)
  dense(784, activation: sigmoid)
  reshape(28, 28, 1)
}

task recon = reconstruct(cae.output, digits.input)

model mlp(digits.input) {
  flatten()
  h   = dense(64, activation: relu)
  out = dense(10)
}

task digit = classify(mlp.out, digits.label)

train {
  optimizer adam(lr: 3e-3)
  epochs    10
  batch     32
}

regularize cae {
  contractive(0.01) on code
}

regularize mlp {
  tangent_prop(weight: 0.3) along manifold(cae, k: 4)
  tangent_distance(k: 1) along rotate, translate, scale, thickness
}
`;

  it("trains the contractive autoencoder first, then the classifier flat along its tangents, and reports tangent distance beside it", async () => {
    const { folder, metrics } = await run("mtc", spec, 2);
    expect(existsSync(join(folder, "pretrained-cae", "model"))).toBe(true);
    const pretraining = (JSON.parse(readFileSync(join(folder, "pretrained-cae", "history.json"), "utf8")) as History).epochs;
    expect(pretraining).toHaveLength(2);
    expect(pretraining[1]!.val!["mse"]!).toBeLessThan(pretraining[0]!.val!["mse"]!);
    const extra = metrics.extra!;
    const distance = extra["tangent_distance"]!;
    console.log(
      `manifold tangent classifier: cae test mse ${extra["cae (pretrained) test"]!["mse"]!.toFixed(4)}, network test accuracy ${metrics.splits["test"]!["accuracy"]!.toFixed(3)}, ` +
        `tangent distance 1-NN ${distance["test_accuracy"]!.toFixed(3)} (Euclidean ${distance["test_euclidean_accuracy"]!.toFixed(3)})`,
    );
    expect(extra["cae (pretrained) test"]!["mse"]!).toBeLessThan(0.1);
    expect(extra["tangent_prop"]!["test_sensitivity"]!).toBeGreaterThan(0);
    expect(metrics.splits["test"]!["accuracy"]!).toBeGreaterThan(0.5);
    expect(distance["references"]).toBe(300);
    expect(distance["test_accuracy"]!).toBeGreaterThan(distance["test_euclidean_accuracy"]!);
  }, 120_000);
});
