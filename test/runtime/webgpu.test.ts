import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { webGpuProblem } from "../../src/runtime/backend/webgpu.js";
import { Model } from "../../src/runtime/model/model.js";
import { conv2d, dense, flatten, maxpool } from "../../src/runtime/model/layers/index.js";
import { fgsm } from "../../src/runtime/techniques/fgsm.js";
import { adam } from "../../src/runtime/train/optimizers.js";
import { constant } from "../../src/runtime/train/schedules.js";
import { classify } from "../../src/runtime/train/tasks.js";
import { describeKernelsAgainstCpu } from "../support/backend-kernels.js";
import { loadDigits } from "../support/digits.js";
import { trainToEnd } from "../support/quiet-training.js";

// The webgpu backend runs where Dawn finds a GPU adapter (a Vulkan, Metal or
// D3D12 driver it accepts); elsewhere these tests are skipped, saying why.
const problem = await webGpuProblem();

describe("choosing the webgpu backend", () => {
  it.runIf(problem !== undefined)(`says why it cannot start, and the chain goes on to the next backend${problem === undefined ? "" : `: ${problem}`}`, async () => {
    await expect(selectBackend("webgpu")).rejects.toThrow(`backend "webgpu" cannot be used: ${problem}`);
    expect(await selectBackend()).not.toBe("webgpu");
  });

  it.runIf(problem === undefined)("starts where an adapter exists", async () => {
    expect(await selectBackend("webgpu")).toBe("webgpu");
    expect(tf.getBackend()).toBe("webgpu");
  });
});

if (problem === undefined) {
  beforeAll(async () => {
    await selectBackend("cpu");
    await selectBackend("webgpu");
  });

  describeKernelsAgainstCpu("webgpu");

  describe("training on webgpu", () => {
    it("learns real digits with an adversarial term: the loss falls, validation accuracy far above chance", async () => {
      await tf.setBackend("webgpu");
      const data = await loadDigits({ train: 512, val: 256 }, 7);
      const model = new Model("cnn", [28, 28, 1], [conv2d(8, 3, { name: "c1", activation: "relu" }), maxpool({ size: 2 }), flatten(), dense(10, { name: "out" })], 1);
      const { trainer } = await trainToEnd({
        model,
        data,
        tasks: [classify("digit", { output: "out", target: "label" })],
        techniques: [fgsm({ eps: 0.1, weight: 0.5 })],
        optimizer: adam({ lr: 3e-3 }),
        schedule: constant(),
        epochs: 3,
        batch: 64,
        seed: 2,
      });
      const history = trainer.history;
      expect(history[2]!.train.loss!).toBeLessThan(history[0]!.train.loss! * 0.8);
      expect(history[2]!.val!.accuracy!).toBeGreaterThan(0.6);
    }, 120_000);
  });
} else {
  describe("the webgpu kernels against cpu, and training on webgpu", () => {
    it("run where a GPU adapter exists", (context) => {
      context.skip(`skipped: ${problem}`);
    });
  });
}
