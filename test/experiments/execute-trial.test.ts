import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { executeTrial, TrialInterrupted } from "../../src/experiments/execute-trial.js";
import { FolderBlobStore, sha256Of } from "../../src/experiments/folder-blob-store.js";
import { shipSpecFiles } from "../../src/experiments/spec-files.js";
import type { TrialJob } from "../../src/experiments/trial.js";
import { ROOT } from "../e2e/support.js";

/** One trial, one `regc run` process: the spec and its data shipped by value, metrics and history back. */

const scratch = mkdtempSync(join(ROOT, ".scratch-trial-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
const blobs = new FolderBlobStore(join(scratch, "blobs"));
const CARS = join(ROOT, "node_modules", "vega-datasets", "data", "cars.json");

function carsSpec(source: string, lr = 0.01): string {
  return `data cars {
  source   json("${source}")
  features Horsepower, Weight_in_lbs
  normalize standard
  missing  drop
  target   mpg = number(Miles_per_Gallon)
  split    train: 0.6, val: 0.2, test: 0.2
  seed     1
}

model m(cars.input) {
  h   = dense(8, activation: relu)
  out = dense(1)
}

task fit = regress(m.out, cars.mpg)

train {
  optimizer adam(lr: ${lr})
  epochs    3
  batch     32
}
`;
}

/** The spec in a project folder of its own, its data in `data/` (beside it) or `../data/` (above it). */
function project(name: string, specFolder: string, source: string, lr?: number): string {
  const folder = join(scratch, name);
  mkdirSync(join(folder, specFolder), { recursive: true });
  mkdirSync(join(folder, "data"), { recursive: true });
  copyFileSync(CARS, join(folder, "data", "cars.json"));
  const spec = join(folder, specFolder, "cars.reg");
  writeFileSync(spec, carsSpec(source, lr));
  return spec;
}

async function job(id: string, specPath: string, text: string, seed = 0): Promise<TrialJob> {
  const shipped = await shipSpecFiles(specPath, text, blobs);
  return { id, experiment: "test", arm: "full", seed, backend: "wasm", spec: { fileName: shipped.fileName, text }, files: shipped.files };
}

describe("shipSpecFiles", () => {
  it("ships a data file beside the spec under its spec-relative path, content-addressed", async () => {
    const spec = project("beside", ".", "data/cars.json");
    const shipped = await shipSpecFiles(spec, carsSpec("data/cars.json"), blobs);
    expect(shipped.fileName).toBe("cars.reg");
    expect(shipped.files).toHaveLength(1);
    expect(shipped.files[0]!.path).toBe("data/cars.json");
    expect(shipped.files[0]!.sha256).toBe(sha256Of(readFileSync(CARS)));
    expect((await blobs.get(shipped.files[0]!.sha256)).equals(readFileSync(CARS))).toBe(true);
  });

  it("moves the trial's root up to hold a data file above the spec", async () => {
    const spec = project("above", "specs", "../data/cars.json");
    const shipped = await shipSpecFiles(spec, carsSpec("../data/cars.json"), blobs);
    expect(shipped.fileName).toBe("specs/cars.reg");
    expect(shipped.files.map((f) => f.path)).toEqual(["../data/cars.json"]);
  });

  it("ships nothing for mnist or a file inside an installed package", async () => {
    const spec = join(scratch, "package.reg");
    const text = carsSpec("vega-datasets/data/cars.json");
    writeFileSync(spec, text);
    expect((await shipSpecFiles(spec, text, blobs)).files).toEqual([]);
  });
});

describe("executeTrial", () => {
  it("trains the shipped spec in its own process with the job's seed: metrics and history back, the run folder kept", async () => {
    const spec = project("run", "specs", "../data/cars.json");
    const trial = await job("full@seed3", spec, carsSpec("../data/cars.json"), 3);
    const { result, runFolder } = await executeTrial(trial, blobs, join(scratch, "trials"));
    expect(result.status, result.reason).toBe("ok");
    expect(result.id).toBe("full@seed3");
    const metrics = result.metrics as { splits: { test: { rmse: number } } };
    expect(metrics.splits.test.rmse).toBeGreaterThan(0);
    const history = result.history as { seed: number; threads: number; epochs: unknown[] };
    expect(history.seed).toBe(3);
    expect(history.epochs).toHaveLength(3);
    // One thread unless the caller shares out spare cores: trials side by side must not compete for a core.
    expect(history.threads).toBe(1);
    expect(existsSync(join(runFolder!, "model", "model.json"))).toBe(true);
  }, 60_000);

  it("trains with the threads it is given, to the same numbers", async () => {
    const spec = project("threads", "specs", "../data/cars.json");
    const trial = await job("threads@seed3", spec, carsSpec("../data/cars.json"), 3);
    const one = await executeTrial(trial, blobs, join(scratch, "trials-1"));
    const two = await executeTrial(trial, blobs, join(scratch, "trials-2"), undefined, 2);
    expect(two.result.status, two.result.reason).toBe("ok");
    expect((two.result.history as { threads: number }).threads).toBe(2);
    expect(two.result.metrics).toEqual(one.result.metrics);
  }, 90_000);

  it("reports a diverging run as diverged with the run's own explanation", async () => {
    const spec = project("diverge", ".", "data/cars.json", 1e12);
    const { result } = await executeTrial(await job("diverge@seed0", spec, carsSpec("data/cars.json", 1e12)), blobs, join(scratch, "trials"));
    expect(result.status).toBe("diverged");
    expect(result.reason).toMatch(/loss became (NaN|infinite)/);
    expect(result.history).toBeDefined();
  }, 60_000);

  it("reports a spec with errors as failed with its diagnostic", async () => {
    const spec = project("broken", ".", "data/cars.json");
    const text = carsSpec("data/cars.json").replace("dense(8,", "dens(8,");
    const { result, runFolder } = await executeTrial(await job("broken@seed0", spec, text), blobs, join(scratch, "trials"));
    expect(result.status).toBe("failed");
    expect(result.reason).toContain("unknown layer kind `dens`");
    expect(runFolder).toBeUndefined();
  }, 30_000);

  it("refuses a file path that would leave the trial's folder", async () => {
    const trial = { ...(await job("escape@seed0", join(scratch, "package.reg"), carsSpec("x.json"))), files: [{ path: "../../outside.json", sha256: await blobs.put(Buffer.from("[]")) }] };
    await expect(executeTrial(trial, blobs, join(scratch, "trials"))).rejects.toThrow(/outside its folder/);
    expect(existsSync(join(scratch, "trials", "outside.json"))).toBe(false);
  });

  it("stops the process when aborted and counts the trial as not run", async () => {
    const spec = project("abort", ".", "data/cars.json");
    const controller = new AbortController();
    const running = executeTrial(await job("abort@seed0", spec, carsSpec("data/cars.json")), blobs, join(scratch, "trials"), controller.signal);
    setTimeout(() => controller.abort(), 300);
    await expect(running).rejects.toBeInstanceOf(TrialInterrupted);
  }, 30_000);
});
