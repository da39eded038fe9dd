import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "./support.js";

/**
 * What a user of the published package gets: the tarball `npm pack` makes,
 * installed offline into a fresh `npm init -y` project, outside this
 * repository, then the README's steps as written — `npx regc run`, and
 * `npx regc compile` followed by `node out/NAME.mjs` — in a CommonJS
 * project and in an ES module one, and `tsc --strict` (the `tsc --init`
 * defaults) on the generated TypeScript in both.
 */

const SPEC = `data penguins {
  source    json("vega-datasets/data/penguins.json")
  features  "Beak Length (mm)", "Beak Depth (mm)", "Flipper Length (mm)", "Body Mass (g)"
  target    species = class(Species)
  normalize standard
  missing   drop
  split     train: 0.6, val: 0.2, test: 0.2
}

model net(penguins.input) {
  h   = dense(8, activation: relu)
  out = dense(3)
}

task species = classify(net.out, penguins.species)

train {
  optimizer adam(lr: 1e-2)
  epochs    2
  batch     32
}
`;

const TSC = join(ROOT, "node_modules", "typescript", "bin", "tsc");
const scratch = mkdtempSync(join(tmpdir(), "reglang-consumer-"));
let tarball: string;

afterAll(() => rmSync(scratch, { recursive: true, force: true }), 60_000);

interface Finished {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking the test worker (installs and trainings take a while). */
function sh(command: string, args: string[], cwd: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, CI: "1", NO_COLOR: "1", npm_config_update_notifier: "false" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

async function succeeded(running: Promise<Finished>): Promise<Finished> {
  const result = await running;
  expect(result.status, `${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

/**
 * The consumer's package-lock.json: this repository's locked versions of the
 * package's own dependencies. The local npm cache holds their tarballs (an
 * `npm ci` here put them there) but not necessarily the registry documents an
 * unlocked install resolves versions with, so offline it needs the lock.
 */
function consumerLock(name: string, tarballName: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, Record<string, unknown>> };
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, unknown>;
  const integrity = `sha512-${createHash("sha512").update(readFileSync(join(scratch, tarballName))).digest("base64")}`;
  const packages: Record<string, Record<string, unknown>> = {
    "": { name, version: "1.0.0", dependencies: { reglang: `file:../${tarballName}` } },
    "node_modules/reglang": {
      version: manifest["version"],
      resolved: `file:../${tarballName}`,
      integrity,
      license: manifest["license"],
      dependencies: manifest["dependencies"],
      optionalDependencies: manifest["optionalDependencies"],
      bin: manifest["bin"],
      engines: manifest["engines"],
    },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === "" || entry["dev"]) continue;
    const { devOptional, ...kept } = entry;
    const packageName = path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length);
    packages[path] = {
      ...kept,
      ...(devOptional ? { optional: true } : {}),
      resolved: kept["resolved"] ?? `https://registry.npmjs.org/${packageName}/-/${packageName.split("/").pop()}-${String(kept["version"])}.tgz`,
    };
  }
  return { name, version: "1.0.0", lockfileVersion: 3, requires: true, packages };
}

/** `npm init -y`, then the given module type. */
async function newProject(name: string, type: "commonjs" | "module"): Promise<string> {
  const folder = join(scratch, name);
  mkdirSync(folder);
  await succeeded(sh("npm", ["init", "-y"], folder));
  await succeeded(sh("npm", ["pkg", "set", `type=${type}`], folder));
  writeFileSync(join(folder, "penguins.reg"), SPEC);
  return folder;
}

const projects: Record<"commonjs" | "module", string> = { commonjs: "", module: "" };

beforeAll(async () => {
  // dist/ is already built for the tests; `npm pack` alone would build it again (prepack).
  await succeeded(sh("npm", ["pack", "--ignore-scripts", "--pack-destination", scratch], ROOT));
  tarball = readdirSync(scratch).find((name) => name.endsWith(".tgz"))!;
  projects.commonjs = await newProject("cjs", "commonjs");
  writeFileSync(join(projects.commonjs, "package-lock.json"), JSON.stringify(consumerLock("cjs", tarball), null, 2));
  await succeeded(sh("npm", ["pkg", "set", `dependencies.reglang=file:../${tarball}`], projects.commonjs));
  // Optional dependencies (tfjs-node) download a binary when installed: not offline.
  await succeeded(sh("npm", ["install", "--offline", "--omit=optional", "--no-audit", "--no-fund"], projects.commonjs));
  // The ES module project shares the installed packages rather than installing them again.
  projects.module = await newProject("esm", "module");
  symlinkSync(join(projects.commonjs, "node_modules"), join(projects.module, "node_modules"));
}, 240_000);

describe("the packed package", () => {
  it("ships its LICENSE and no install-time script", () => {
    const listed = execFileSync("tar", ["-tzf", join(scratch, tarball)], { encoding: "utf8" }).split("\n");
    expect(listed).toContain("package/LICENSE");
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    const manifest = JSON.parse(execFileSync("tar", ["-xzOf", join(scratch, tarball), "package/package.json"], { encoding: "utf8" })) as { scripts: Record<string, string>; license: string };
    expect(manifest.license).toBe("MIT");
    for (const hook of ["preinstall", "install", "postinstall", "prepare"]) expect(manifest.scripts[hook], hook).toBeUndefined();
  });
});

describe.each(["commonjs", "module"] as const)("in a fresh %s project", (type) => {
  // In a CommonJS package a `.ts` file is CommonJS to Node and TypeScript; the program is an ES module, so `.mts` there.
  const typescript = type === "module" ? "penguins.ts" : "penguins.mts";

  it("`npx regc run` trains and writes a run folder", async () => {
    const folder = projects[type];
    const run = await succeeded(sh("npx", ["regc", "run", "penguins.reg", "--runs", "runs"], folder));
    expect(run.stderr).toMatch(/test: loss [\d.]+ {2}accuracy [\d.]+/);
    const [runFolder] = readdirSync(join(folder, "runs")).filter((name) => !name.startsWith("."));
    expect(readdirSync(join(folder, "runs", runFolder!))).toEqual(expect.arrayContaining(["penguins.reg", typescript, "metrics.json", "report.html"]));
  }, 120_000);

  it("`npx regc compile`, then node runs the program; tsc --strict passes on the TypeScript, run folders included", async () => {
    const folder = projects[type];
    const compiled = await succeeded(sh("npx", ["regc", "compile", "penguins.reg"], folder));
    expect(compiled.stdout).toBe(`wrote ${join(folder, "out", typescript)}\nwrote ${join(folder, "out", "penguins.mjs")}\n`);

    const trained = await succeeded(sh(process.execPath, [join("out", "penguins.mjs"), "--runs", "direct"], folder));
    expect(trained.stderr).toMatch(/test: loss [\d.]+ {2}accuracy [\d.]+/);
    const [runFolder] = readdirSync(join(folder, "direct"));
    const kept = join(folder, "direct", runFolder!);
    // The spec and the TypeScript are kept though `regc` did not start the run.
    expect(readFileSync(join(kept, "penguins.reg"), "utf8")).toBe(SPEC);
    expect(readFileSync(join(kept, typescript), "utf8")).toBe(readFileSync(join(folder, "out", typescript), "utf8"));
    expect(readFileSync(join(kept, "report.html"), "utf8")).toContain('<details id="spec">');

    // `tsc --init`'s defaults: strict, module nodenext, verbatimModuleSyntax, exactOptionalPropertyTypes, …
    await succeeded(sh(process.execPath, [TSC, "--init"], folder));
    const checked = await sh(process.execPath, [TSC, "--noEmit", "-p", "."], folder);
    expect(checked.stdout + checked.stderr).toBe("");
    expect(checked.status).toBe(0);
  }, 120_000);
});
