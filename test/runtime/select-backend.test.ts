import { describe, expect, it } from "vitest";
import { BackendUnavailableError, selectBackend } from "../../src/runtime/backend/select.js";
import { isInstalled } from "../support/installed-package.js";

const nativeBindingInstalled = isInstalled("@tensorflow/tfjs-node-gpu") || isInstalled("@tensorflow/tfjs-node");

describe("selectBackend", () => {
  // First, before anything here loads tfjs: tfjs-core creates this global on load.
  it("loads nothing of TensorFlow.js until called", () => {
    expect("_tfengine" in globalThis).toBe(false);
  });

  it.skipIf(nativeBindingInstalled)("falls back past the missing native bindings to wasm, with its kernels", async () => {
    expect(await selectBackend()).toBe("wasm");
    const tf = await import("@tensorflow/tfjs");
    expect(tf.getBackend()).toBe("wasm");
    expect(tf.getKernel("Conv2DBackpropFilter", "wasm")).toBeDefined();
  });

  it("honours a requested backend", async () => {
    const tf = await import("@tensorflow/tfjs");
    expect(await selectBackend("cpu")).toBe("cpu");
    expect(tf.getBackend()).toBe("cpu");
    expect(await selectBackend("wasm")).toBe("wasm");
    expect(tf.getBackend()).toBe("wasm");
  });

  it.skipIf(isInstalled("@tensorflow/tfjs-node"))("says which requested backend cannot load, and why", async () => {
    const failure = selectBackend("tfjs-node");
    await expect(failure).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(failure).rejects.toThrow('backend "tfjs-node" cannot be used: @tensorflow/tfjs-node is not installed');
  });

  it.skipIf(nativeBindingInstalled)("tries both native bindings for 'tensorflow' and reports each", async () => {
    await expect(selectBackend("tensorflow")).rejects.toThrow(
      /tfjs-node-gpu: @tensorflow\/tfjs-node-gpu is not installed.*; tfjs-node: @tensorflow\/tfjs-node is not installed/,
    );
  });

  it("rejects an unknown backend, listing the known ones", async () => {
    await expect(selectBackend("webgl")).rejects.toThrow(
      'unknown backend "webgl": choose one of tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu, tensorflow',
    );
  });
});
