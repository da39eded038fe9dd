import { beforeAll, expect } from "vitest";
import { selectBackend, threadsInUse } from "../../src/runtime/backend/select.js";
import { describeKernelsAgainstCpu } from "../support/backend-kernels.js";

// The same kernels on the threaded build, whose XNNPACK operators (the
// convolutions the gradient kernels are made of) split their work over threads.

beforeAll(async () => {
  await selectBackend("cpu");
  await selectBackend("wasm", 2);
  expect(await threadsInUse()).toBe(2);
});

describeKernelsAgainstCpu("wasm");
