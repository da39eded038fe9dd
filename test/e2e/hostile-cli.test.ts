import { spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { COMMANDS } from "../../src/cli/commands.js";
import { EXAMPLES, ROOT } from "./support.js";

/**
 * `regc` driven as a careless or hostile user drives it: wrong values for
 * every option, paths that are files, devices or kernel folders, specs that
 * try to print the environment into CI annotations. Every one is exit 2 (or
 * a spec error) with a one-line message: never exit 3, a stack trace, a hang
 * or a leak.
 */

const LAUNCHER = join(ROOT, "bin", "regc.js");
const work = mkdtempSync(join(tmpdir(), "regc-hostile-"));
writeFileSync(join(work, "package.json"), "{}");
copyFileSync(join(EXAMPLES, "errors", "REG1002-unknown-layer.reg"), join(work, "typo.reg"));
const SECRET = "s3cr3t-token-that-must-never-be-printed";

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI; a run past `limitMs` is killed and reported with code null. */
function regc(args: string[], limitMs = 30_000, env: NodeJS.ProcessEnv = {}): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd: work, env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A user's mistake: exit 2, one `regc: error:` line, no stack trace. */
function expectUsageError(run: Finished, ...parts: string[]): void {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stderr).toMatch(/^regc: error: [^\n]+\n$/);
  for (const part of parts) expect(run.stderr).toContain(part);
}

function spec(source: string): string {
  return `data d {
  source   ${source}
  features all
  target   y = number(y)
  split    train: 0.5, test: 0.5
}

model net(d.input) {
  out = dense(1)
}

task fit = regress(net.out, d.y)

train {
  optimizer sgd(lr: 0.1)
  epochs    1
  batch     2
}

regularize net {
  l2(0.1) on out.kernel
}
`;
}

describe.concurrent("a spec cannot read outside its project", () => {
  it("never prints the environment into a GitHub annotation, however it names /proc/self/environ", async () => {
    writeFileSync(join(work, "environ.reg"), spec('csv("/proc/self/environ")'));
    writeFileSync(join(work, "climb.reg"), spec('csv("../../../../../../proc/self/environ")'));
    symlinkSync("/proc/self/environ", join(work, "environ.csv"));
    writeFileSync(join(work, "link.reg"), spec('csv("environ.csv")'));
    for (const [file, extra] of [["environ.reg", []], ["climb.reg", []], ["link.reg", []], ["link.reg", ["--allow-data", "/proc"]]] as const) {
      const run = await regc(["check", file, "--format", "github", ...extra], 30_000, { REGLANG_TEST_SECRET: SECRET });
      expect(run.code, run.stderr).toBe(1);
      expect(run.stdout).toMatch(/::error [^\n]*title=REG601[01]/);
      expect(run.stdout).not.toContain(SECRET);
      expect(run.stdout).not.toContain("REGLANG_TEST_SECRET");
    }
  });

  it("refuses a spec that is a device or a pipe, without reading it: `regc check /dev/zero` ends at once", async () => {
    expectUsageError(await regc(["check", "/dev/zero"], 10_000), "/dev/zero", "a kernel pseudo-file (/proc, /sys, /dev), not a spec");
  });

  it("refuses a spec past 1 MB rather than reading it all", async () => {
    writeFileSync(join(work, "huge.reg"), "");
    truncateSync(join(work, "huge.reg"), 1024 * 1024 + 1);
    expectUsageError(await regc(["check", "huge.reg"], 10_000), "huge.reg", "larger than 1 MB");
  });
});

describe.concurrent("paths and options the command line is given", () => {
  it("--runs naming a file, or a folder that cannot be made, is exit 2 naming the problem", async () => {
    writeFileSync(join(work, "a-file"), "");
    writeFileSync(join(work, "tiny.reg"), spec('csv("tiny.csv")'));
    writeFileSync(join(work, "tiny.csv"), "a,y\n1,2\n3,4\n5,6\n7,8\n");
    expectUsageError(await regc(["run", "tiny.reg", "--runs", "a-file"]), "cannot use --runs a-file", "give a folder you can write to");
    expectUsageError(await regc(["run", "tiny.reg", "--runs", "a-file/inside"]), "part of the path is a file, not a folder");
    expectUsageError(await regc(["run", "tiny.reg", "--runs", "/proc/forbidden"], 20_000), "cannot use --runs /proc/forbidden");
  });

  it("ablate's and tune's --out naming a file, or a folder that cannot be made, is exit 2 naming the problem", async () => {
    writeFileSync(join(work, "out-file"), "");
    writeFileSync(join(work, "ablated.reg"), spec('csv("tiny.csv")'));
    writeFileSync(join(work, "tuned.reg"), `${spec('csv("tiny.csv")').replace("l2(0.1)", "l2(log_uniform(1e-4, 1e-1))")}\ntune {\n  trials    2\n  objective minimize train_loss\n}\n`);
    writeFileSync(join(work, "tiny.csv"), "a,y\n1,2\n3,4\n5,6\n7,8\n");
    for (const command of ["ablate ablated.reg", "tune tuned.reg"]) {
      const args = command.split(" ");
      expectUsageError(await regc([...args, "--out", "out-file"]), "cannot use --out out-file", "a file of that name is in the way");
      expectUsageError(await regc([...args, "--out", "out-file/inside"]), "part of the path is a file, not a folder");
      // Node's own recursive mkdir spins here without end.
      expectUsageError(await regc([...args, "--out", "/proc/forbidden"], 20_000), "cannot use --out /proc/forbidden");
    }
  });

  it.skipIf(process.getuid?.() === 0)("a read-only --runs is exit 2: permission denied", async () => {
    mkdirSync(join(work, "read-only"), { mode: 0o555 });
    expectUsageError(await regc(["run", "tiny.reg", "--runs", "read-only"]), "permission denied");
  });

  it("an unknown backend is exit 2 listing the backends", async () => {
    expectUsageError(await regc(["run", "tiny.reg", "--backend", "foo"]), "tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu, tensorflow", "not `foo`");
  });

  it("a thread count out of range is exit 2 saying the range, from --threads or REGLANG_THREADS", async () => {
    expectUsageError(await regc(["run", "tiny.reg", "--threads", "0"]), "--threads needs a whole number from 1 to 8, not `0`");
    expectUsageError(await regc(["run", "tiny.reg"], 60_000, { REGLANG_THREADS: "all" }), "REGLANG_THREADS needs a whole number from 1 to 8, not `all`");
  });

  it("compile -o naming a file is exit 2", async () => {
    writeFileSync(join(work, "out-file"), "");
    expectUsageError(await regc(["compile", "tiny.reg", "-o", "out-file"]), "give -o a folder you can write to");
    expectUsageError(await regc(["compile", "tiny.reg", "-o", "out-file/deeper"]), "give -o a folder you can write to");
  });

  it("--allow-data and --memory-budget say what they take", async () => {
    expectUsageError(await regc(["check", "tiny.reg", "--allow-data", "absent-folder"]), "give an existing folder");
    expectUsageError(await regc(["check", "tiny.reg", "--memory-budget", "lots"]), "a size such as 4GB");
  });
});

const LOADED_COMMANDS = await Promise.all(COMMANDS.map((entry) => entry.load()));

/** Values no option should take: empty, a path through a file, a kernel folder, a device. */
const BAD_VALUES = ["", "/etc/passwd/x", "/proc/forbidden", "/dev/zero"];

describe("every flag of every command, given a bad value", () => {
  const cases: string[][] = [];
  for (const command of LOADED_COMMANDS) {
    const files = command.name === "explain" ? ["REG1002"] : command.name === "lsp" ? [] : ["typo.reg"];
    cases.push([command.name, ...files, "--no-such-flag"]);
    for (const [flag, spec] of Object.entries(command.flags)) {
      if (spec.kind === "switch") cases.push([command.name, ...files, `${flag}=value`]);
      else if (spec.kind === "choice") cases.push([command.name, ...files, flag, "bogus"]);
      else for (const value of BAD_VALUES) cases.push([command.name, ...files, flag, value]);
      if (spec.kind !== "switch") cases.push([command.name, ...files, flag]);
    }
  }

  it(`ends without exit 3, a stack trace or a hang (${cases.length} command lines)`, async () => {
    const outcomes: Array<{ args: string[]; run: Finished }> = [];
    for (let i = 0; i < cases.length; i += 4) {
      const batch = cases.slice(i, i + 4);
      outcomes.push(...(await Promise.all(batch.map(async (args) => ({ args, run: await regc(args, 60_000) })))));
    }
    for (const { args, run } of outcomes) {
      const what = `regc ${args.join(" ")}\n${run.stderr}`;
      expect(run.code, what).not.toBeNull();
      expect(run.code, what).not.toBe(3);
      expect(run.stderr, what).not.toMatch(/^\s+at /m);
      if (run.code === 2) expect(run.stderr, what).toMatch(/^regc: error: /);
    }
  }, 300_000);
});

describe("the runs folder", () => {
  it("loses the compiled modules a killed regc left behind on the next start", async () => {
    const compiled = join(work, "runs", ".compiled");
    mkdirSync(compiled, { recursive: true });
    // No process has this id (Linux pids stop at 2²² ≈ 4.2 million): its module is left over.
    writeFileSync(join(compiled, "tiny.999999999.mjs"), "export {};\n");
    writeFileSync(join(work, "tiny.reg"), spec('csv("tiny.csv")'));
    writeFileSync(join(work, "tiny.csv"), "a,y\n1,2\n3,4\n5,6\n7,8\n");
    const run = await regc(["run", "tiny.reg", "--backend", "cpu", "--runs", "runs"], 120_000);
    expect(run.code, run.stderr).toBe(0);
    expect(existsSync(join(compiled, "tiny.999999999.mjs"))).toBe(false);
    expect(readdirSync(compiled).filter((name) => name.endsWith(".mjs"))).toEqual([]);
  }, 150_000);
});
