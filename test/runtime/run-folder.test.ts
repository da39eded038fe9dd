import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { createRunFolder, writeHistory, writeMetrics, writeReport } from "../../src/runtime/run/run-folder.js";

beforeAll(async () => {
  await selectBackend("cpu");
});

const temporaryFolder = () => mkdtempSync(join(tmpdir(), "reglang-runs-"));
const fivePastSeven = new Date(2024, 2, 5, 7, 5, 9);

describe("createRunFolder", () => {
  it("names the folder after the spec and the local start time", () => {
    const runs = join(temporaryFolder(), "runs");
    const folder = createRunFolder(runs, "mnist", fivePastSeven);
    expect(folder).toBe(join(runs, "mnist-20240305-070509"));
    expect(readdirSync(folder)).toEqual([]);
  });

  it("never reuses a folder: a second run in the same second gets -2, then -3", () => {
    const runs = temporaryFolder();
    mkdirSync(join(runs, "mnist-20240305-070509-2"));
    const names = [1, 2, 3].map(() => basename(createRunFolder(runs, "mnist", fivePastSeven)));
    expect(names).toEqual(["mnist-20240305-070509", "mnist-20240305-070509-3", "mnist-20240305-070509-4"]);
  });

  it("keeps a spec name to one safe path segment, neither hidden nor read as a flag", () => {
    const runs = temporaryFolder();
    expect(basename(createRunFolder(runs, "../my spec/x", fivePastSeven))).toBe("my_spec_x-20240305-070509");
    expect(basename(createRunFolder(runs, '-a<b>c:d"e\\f|g?h*i\tj\u0000k.', fivePastSeven))).toBe("a_b_c_d_e_f_g_h_i_j_k-20240305-070509");
    expect(readdirSync(runs)).toHaveLength(2);
  });

  it("keeps the letters and digits of every script, composed, so a user recognises their run", () => {
    const runs = temporaryFolder();
    const names = ["données", "数字", "e\u0301té v2", "हिन्दी", "Ελληνικά_٣"].map((name) => basename(createRunFolder(runs, name, fivePastSeven)));
    expect(names).toEqual(["données", "数字", "\u00e9té_v2", "हिन्दी", "Ελληνικά_٣"].map((name) => `${name}-20240305-070509`));
    expect(readdirSync(runs).sort()).toEqual([...names].sort());
  });

  it("names a run `spec` when its name has nothing a folder can keep, and sets Windows' device names apart", () => {
    const runs = temporaryFolder();
    expect(basename(createRunFolder(runs, "..", fivePastSeven))).toBe("spec-20240305-070509");
    expect(basename(createRunFolder(runs, "🙂 ", fivePastSeven))).toBe("spec-20240305-070509-2");
    expect(basename(createRunFolder(runs, "con.v2", fivePastSeven))).toBe("_con.v2-20240305-070509");
    expect(basename(createRunFolder(runs, "console.v2", fivePastSeven))).toBe("console.v2-20240305-070509");
  });

  it("bounds a long name to 120 bytes of UTF-8, cut between letters with their accents", () => {
    const runs = temporaryFolder();
    const name = basename(createRunFolder(runs, "数".repeat(39) + "e\u0301".repeat(10), fivePastSeven)).replace(/-20240305-070509$/, "");
    expect(name).toBe("数".repeat(39) + "é");
    expect(Buffer.byteLength(name)).toBeLessThanOrEqual(120);
    const decomposedAtTheCut = basename(createRunFolder(runs, "a".repeat(115) + "\u0928\u093f", fivePastSeven));
    expect(decomposedAtTheCut).toBe(`${"a".repeat(115)}-20240305-070509`);
  });
});

describe("the files of a run", () => {
  const history: History = {
    spec: "mnist.reg",
    backend: "cpu",
    seed: 7,
    epochs: [{ epoch: 1, phase: "train", learningRate: 0.1, seconds: 1.5, train: { loss: 0.9 }, val: { loss: 1.1 } }],
  };
  const metrics: FinalMetrics = { spec: "mnist.reg", backend: "cpu", splits: { test: { loss: 1.05, accuracy: 0.6 } } };

  it("writes history, metrics and report, leaving no temporary files", async () => {
    const folder = createRunFolder(temporaryFolder(), "mnist", fivePastSeven);
    writeHistory(folder, history);
    writeHistory(folder, { ...history, epochs: [...history.epochs, { ...history.epochs[0]!, epoch: 2 }] });
    writeMetrics(folder, metrics);
    writeReport(folder, history, metrics, { title: "mnist" });

    expect(readdirSync(folder).sort()).toEqual(["history.csv", "history.json", "metrics.json", "report.html"]);
    expect(JSON.parse(readFileSync(join(folder, "history.json"), "utf8")).epochs).toHaveLength(2);
    expect(JSON.parse(readFileSync(join(folder, "metrics.json"), "utf8"))).toEqual(metrics);
    expect(readFileSync(join(folder, "report.html"), "utf8")).toMatch(/^<!doctype html>[\s\S]*<svg[\s\S]*<\/html>\n$/);
    expect(existsSync(join(folder, "checkpoint"))).toBe(false);
  });
});
