import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { EXAMPLES, onlyRunFolder, readJson, ROOT, startRegc } from "./support.js";

/**
 * `regc compile` on the contract examples: the generated programs are
 * deterministic, point back at their spec lines, pass `tsc --strict`, and run
 * on their own. The scratch folder is inside the package so that
 * `reglang/runtime` resolves to this package, as it does in a user's project
 * that installed it.
 */

const scratch = mkdtempSync(join(ROOT, ".scratch-compile-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const COMPILABLE = ["a-mlp-dropout-maxnorm", "b-convnet-adversarial-tangent", "c-semi-supervised", "d-multitask-cars", "e-tied-autoencoder", "f-underconstrained-ridge"];

async function compile(name: string, outDir: string): Promise<string> {
  const run = await startRegc(["compile", join(EXAMPLES, `${name}.reg`), "-o", outDir], scratch);
  expect(run.stderr).toBe("");
  expect(run.code).toBe(0);
  return readFileSync(join(outDir, `${name}.ts`), "utf8");
}

describe("regc compile", () => {
  it.each(COMPILABLE)("%s: the same spec gives byte-identical code", async (name) => {
    const first = await compile(name, join(scratch, "one"));
    const second = await compile(name, join(scratch, "two"));
    expect(second).toBe(first);
  });

  it("spells the spec out, with each part pointing at its .reg line", async () => {
    const code = await compile("a-mlp-dropout-maxnorm", join(scratch, "one"));
    expect(code).toMatch(/^import \* as reg from "reglang\/runtime";$/m);
    expect(code.match(/^import /gm)).toHaveLength(1);
    expect(code).toContain("// data digits — a-mlp-dropout-maxnorm.reg:2");
    expect(code).toContain('reg.dense(512, { name: "h1", activation: "relu", useBias: true }), // a-mlp-dropout-maxnorm.reg:12');
    expect(code).toContain("reg.dropout(0.5), // a-mlp-dropout-maxnorm.reg:13");
    expect(code).toContain('reg.maxnorm(3, { on: ["h1.kernel", "h2.kernel", "out.kernel"] })');
    // The glob `*.kernel` is expanded by the compiler, never matched at run time.
    expect(code).toContain('// l2(1e-5) on *.kernel — a-mlp-dropout-maxnorm.reg:29\n    reg.l2(0.00001, { on: ["h1.kernel", "h2.kernel", "out.kernel"] })');
    expect(code).toContain("reg.sgd({ lr: 0.01, momentum: 0.9, nesterov: false })");
    expect(code).toMatch(/for \(let epoch = trainer\.firstEpoch; epoch <= trainer\.epochs; epoch\+\+\) \{/);
  });

  it("inserts the layers that structural clauses ask for, where they act", async () => {
    const spec = join(scratch, "structure.reg");
    writeFileSync(
      spec,
      readFileSync(join(EXAMPLES, "a-mlp-dropout-maxnorm.reg"), "utf8")
        .replace("  dropout(0.5)\n  h2", "  h2")
        .replace("  early_stop(", "  dropout(0.3) after h1\n  gaussian_noise(0.1) on input\n  mc_dropout(samples: 5)\n  early_stop("),
    );
    const run = await startRegc(["compile", spec, "-o", join(scratch, "structure")], scratch);
    expect(run.code).toBe(0);
    const code = readFileSync(join(scratch, "structure", "structure.ts"), "utf8");
    const layers = code.slice(code.indexOf("new reg.Model(") + "new reg.Model(".length, code.indexOf("seed,\n  );"));
    const order = [...layers.matchAll(/reg\.(\w+)\(/g)].map((m) => m[1]);
    expect(order).toEqual(["gaussianNoise", "flatten", "dense", "dropout", "dense", "dropout", "dense"]);
    expect(code).toContain("reg.dropout(0.3), // dropout(0.3) after h1 — structure.reg:");
    expect(code).toContain("reg.mcDropout({ samples: 5 })");
  });

  it("refuses a valid spec it cannot compile, saying why (exit 1)", async () => {
    const run = await startRegc(["compile", join(EXAMPLES, "errors", "REG7001-two-trained-models.reg"), "-o", join(scratch, "two")], scratch);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("error[REG7001]");
    expect(run.stderr).toMatch(/its tasks score 2 different models \(`small`, `wide`\); one run trains one model/);
  });

  it("generated programs pass tsc --strict", async () => {
    const folder = join(scratch, "strict");
    for (const name of COMPILABLE) await compile(name, folder);
    writeFileSync(
      join(folder, "tsconfig.json"),
      JSON.stringify({
        // skipLibCheck as `tsc --init` sets it: tfjs's own declarations do not check on their own (they need `Long`).
        compilerOptions: { strict: true, noEmit: true, skipLibCheck: true, target: "ES2022", module: "ESNext", moduleResolution: "Bundler", types: ["node"], noUncheckedIndexedAccess: true },
        include: ["*.ts"],
      }),
    );
    const tsc = spawnSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", folder], { encoding: "utf8" });
    expect(tsc.stdout + tsc.stderr).toBe("");
    expect(tsc.status).toBe(0);
  }, 60_000);

  it.each([
    ["f-underconstrained-ridge", ["--backend", "cpu"], /closed-form ridge solution/],
    ["a-mlp-dropout-maxnorm", ["--backend", "wasm", "--epochs", "1"], /^epoch 1\/1 .*val_accuracy/m],
  ])("%s runs on its own with tsx", async (name, options, expected) => {
    const folder = join(scratch, `standalone-${name}`);
    mkdirSync(folder, { recursive: true });
    await compile(name, folder);
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(folder, `${name}.ts`), "--runs", join(folder, "runs"), ...options], {
      cwd: folder,
      encoding: "utf8",
      env: { ...process.env, CI: "1" },
    });
    expect(run.stderr).toMatch(expected);
    expect(run.stderr).toMatch(/test: loss \d/);
    expect(run.status).toBe(0);
  }, 60_000);

  it.each([
    [["--seed", "4294967296"], "--seed needs a whole number from 0 to 4294967295, not `4294967296`"],
    [["--epochs", "0"], "--epochs needs a whole number ≥ 1, not `0`"],
    [["--threads", "9"], "--threads needs a whole number from 1 to 8, not `9`"],
    [["--backend", "nope"], "option --backend must be one of tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu, tensorflow, not nope"],
    [["--epochs"], "option --epochs needs a value"],
    [["--seed", "-1"], "option --seed needs a value; write one that starts with - as --seed=VALUE"],
    [["--seed=-1"], "--seed needs a whole number from 0 to 4294967295, not `-1`"],
  ])("a program run on its own refuses %j as `regc run` does: a usage error (exit 2)", async (options, message) => {
    const folder = join(scratch, "standalone-flags");
    mkdirSync(folder, { recursive: true });
    await compile("f-underconstrained-ridge", folder);
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(folder, "f-underconstrained-ridge.ts"), "--runs", join(folder, "runs"), ...options], { cwd: folder, encoding: "utf8" });
    expect(run.stderr).toContain(`error: ${message}\noptions: [--backend `);
    expect(run.status).toBe(2);
  }, 60_000);

  it.skipIf(process.platform !== "linux")("a program run on its own with --runs in /proc, where no folder can be made, is exit 2 naming it", async () => {
    const folder = join(scratch, "standalone-proc");
    mkdirSync(folder, { recursive: true });
    await compile("f-underconstrained-ridge", folder);
    // Node's own recursive mkdir spins here without end: the time limit ends such a run.
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(folder, "f-underconstrained-ridge.ts"), "--runs", "/proc/forbidden/runs"], { cwd: folder, encoding: "utf8", timeout: 30_000 });
    expect(run.stderr).toContain("error: cannot use --runs /proc/forbidden/runs: no such file or folder; give a folder you can write to");
    expect(run.status).toBe(2);
  }, 60_000);

  it("a program compiled on its own continues a run `regc run` started, as the same program written to another place", async () => {
    const folder = join(scratch, "standalone-resume");
    mkdirSync(folder, { recursive: true });
    const started = await startRegc(["run", join(EXAMPLES, "d-multitask-cars.reg"), "--epochs", "1", "--runs", join(folder, "runs")], scratch);
    expect(started.code, started.stderr).toBe(0);
    const run = onlyRunFolder(join(folder, "runs"));
    await compile("d-multitask-cars", folder);
    const resumed = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(folder, "d-multitask-cars.ts"), "--resume", run, "--epochs", "2"], { cwd: folder, encoding: "utf8", env: { ...process.env, CI: "1" } });
    expect(resumed.stderr).not.toContain("the program differs");
    expect(resumed.status, resumed.stderr).toBe(0);
    // Example D bags five members, each with its own epochs.
    expect(readJson<{ members: Array<{ epochs: unknown[] }> }>(join(run, "history.json")).members.map((member) => member.epochs.length)).toEqual([2, 2, 2, 2, 2]);
  }, 120_000);

  it("a program run on its own says its options for --help and -h, and trains nothing", async () => {
    const folder = join(scratch, "standalone-help");
    mkdirSync(folder, { recursive: true });
    await compile("f-underconstrained-ridge", folder);
    for (const flag of ["--help", "-h"]) {
      const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(folder, "f-underconstrained-ridge.ts"), flag, "--runs", "runs"], { cwd: folder, encoding: "utf8" });
      expect(run.stdout).toMatch(/^options: \[--backend /);
      expect(run.status).toBe(0);
      expect(existsSync(join(folder, "runs"))).toBe(false);
    }
  }, 60_000);

  it("a program run on its own refuses --runs naming a file as `regc run` does: a usage error (exit 2), no stack trace", async () => {
    const folder = join(scratch, "standalone-runs-file");
    mkdirSync(folder, { recursive: true });
    await compile("f-underconstrained-ridge", folder);
    writeFileSync(join(folder, "notes.txt"), "a file, not a folder\n");
    const run = spawnSync(process.execPath, [join(ROOT, "node_modules", "tsx", "dist", "cli.mjs"), join(folder, "f-underconstrained-ridge.ts"), "--runs", "notes.txt"], { cwd: folder, encoding: "utf8" });
    expect(run.stderr).toMatch(/^error: cannot use --runs notes\.txt: .*; give a folder you can write to \(it is made if missing\)$/m);
    expect(run.stderr).not.toMatch(/^\s+at /m);
    expect(run.status).toBe(2);
  }, 60_000);

  it("warns, and says how to fix it, when the program is written where node cannot find reglang", async () => {
    // Outside this package, in a project that has not installed reglang.
    const project = mkdtempSync(join(tmpdir(), "reglang-compile-elsewhere-"));
    try {
      mkdirSync(join(project, "data"));
      copyFileSync(join(EXAMPLES, "data", "wide.csv"), join(project, "data", "wide.csv"));
      copyFileSync(join(EXAMPLES, "f-underconstrained-ridge.reg"), join(project, "f.reg"));
      const alone = await startRegc(["compile", "f.reg"], project);
      expect(alone.code, alone.stderr).toBe(0);
      const program = join(project, "out", "f.mjs");
      expect(alone.stderr).toBe(
        `regc: warning: node cannot run ${program} yet: it imports reglang/runtime, and reglang is not installed in ${join(project, "out")} or a folder above it; run \`npm install reglang\` in that project, or train with \`regc run f.reg\`\n`,
      );
      expect(spawnSync(process.execPath, [program], { cwd: project, encoding: "utf8" }).stderr).toContain("Cannot find package 'reglang'");

      // Installed (here, linked as a package manager links a local package), the program finds it and regc says nothing.
      mkdirSync(join(project, "node_modules"));
      symlinkSync(ROOT, join(project, "node_modules", "reglang"), "dir");
      const installed = await startRegc(["compile", "f.reg"], project);
      expect(installed.code, installed.stderr).toBe(0);
      expect(installed.stderr).toBe("");
    } finally {
      rmSync(project, { recursive: true, force: true });
    }
  });
});
