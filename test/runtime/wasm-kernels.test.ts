import { beforeAll } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { describeKernelsAgainstCpu } from "../support/backend-kernels.js";

// The kernels reglang registers for wasm, on the package's single-threaded build.

beforeAll(async () => {
  await selectBackend("cpu");
  await selectBackend("wasm", 1);
});

describeKernelsAgainstCpu("wasm");
