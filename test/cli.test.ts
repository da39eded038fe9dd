import { execFileSync, spawn, spawnSync } from "node:child_process";
import { copyFileSync, cpSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(import.meta.dirname, "..");
const BUNDLE = join(ROOT, "dist", "regc.js");
const LAUNCHER = join(ROOT, "bin", "regc.js");
const EXAMPLES = join(ROOT, "examples");

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

let work = "";

/** Runs the built CLI in the scratch folder, as a user would. */
function regc(args: string[], env: NodeJS.ProcessEnv = {}, script = LAUNCHER): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { cwd: work, env: { ...process.env, NO_COLOR: "1", ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

function newestSourceTime(): number {
  const files = readdirSync(join(ROOT, "src"), { recursive: true, encoding: "utf8" }).map((f) => join(ROOT, "src", f));
  return Math.max(statSync(join(ROOT, "scripts", "build.mjs")).mtimeMs, ...files.map((f) => statSync(f).mtimeMs));
}

function write(path: string, text: string): string {
  mkdirSync(join(work, path, ".."), { recursive: true });
  writeFileSync(join(work, path), text);
  return path;
}

function copyExample(from: string, to: string): string {
  mkdirSync(join(work, to, ".."), { recursive: true });
  copyFileSync(join(EXAMPLES, from), join(work, to));
  return to;
}

/** A user mistake: one `regc: error:` line on stderr, no stack trace. */
function expectUsageError(run: Run, message: string): void {
  expect(run.code).toBe(2);
  expect(run.stderr).toMatch(/^regc: error: .+\n$/);
  expect(run.stderr).toContain(message);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

/**
 * A folder of two specs with an error each, beside three `.reg` entries that
 * cannot be read (a spec past 1 MB, a dangling link, a named pipe) and a
 * folder named like a spec, which is only walked into.
 */
function unreadableAmongSpecs(folder: string): string {
  copyExample("errors/REG1002-unknown-layer.reg", `${folder}/a.reg`);
  copyExample("errors/REG1002-unknown-layer.reg", `${folder}/b.reg`);
  write(`${folder}/big.reg`, "");
  truncateSync(join(work, folder, "big.reg"), 1024 * 1024 + 1);
  symlinkSync("nowhere.reg", join(work, folder, "dangling.reg"));
  execFileSync("mkfifo", [join(work, folder, "pipe.reg")]);
  mkdirSync(join(work, folder, "folder.reg"));
  return folder;
}

const UNREADABLE_LINES = (folder: string) =>
  [
    `regc: error: cannot read ${folder}/big.reg: it is larger than 1 MB, the most a spec may be`,
    `regc: error: cannot read ${folder}/dangling.reg: it is a link to nowhere.reg, which does not exist`,
    `regc: error: cannot read ${folder}/pipe.reg: it is a named pipe, not a regular file; give a .reg spec file`,
  ].join("\n") + "\n";

beforeAll(() => {
  const built = statSync(BUNDLE, { throwIfNoEntry: false });
  if (!built || built.mtimeMs < newestSourceTime()) {
    const build = spawnSync(process.execPath, [join(ROOT, "scripts", "build.mjs")], { encoding: "utf8" });
    if (build.status !== 0) throw new Error(`build failed:\n${build.stderr}`);
  }
  work = mkdtempSync(join(tmpdir(), "regc-cli-"));
  copyExample("a-mlp-dropout-maxnorm.reg", "clean.reg");
  copyExample("errors/REG1002-unknown-layer.reg", "typo.reg");
  copyExample("errors/REG5003-unused-layer.reg", "warning.reg");
}, 60_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe.concurrent("regc check", () => {
  it("exits 0 on a clean spec", async () => {
    const run = await regc(["check", "clean.reg"]);
    expect(run).toMatchObject({ code: 0, stderr: "" });
    expect(run.stdout).toBe("no problems in 1 file\n");
  });

  it("exits 1 and shows file:line:col, the source line and a caret under a typo'd layer kind", async () => {
    const run = await regc(["check", "typo.reg"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("typo.reg:11:9: error[REG1002]: unknown layer kind `dens`\n");
    expect(run.stdout).toContain("11 |   h1  = dens(128, activation: relu)\n   |         ^^^^\n");
    expect(run.stdout).toContain("= hint: did you mean `dense`?");
    expect(run.stdout).toMatch(/1 error in 1 file\n$/);
  });

  it("counts the first line's columns after a byte-order mark, as editors do, and does not print the mark", async () => {
    write("bom/typo.reg", `\ufeff${readFileSync(join(work, "typo.reg"), "utf8").replace(/^/, "dens\n")}`);
    const run = await regc(["check", "bom/typo.reg"]);
    expect(run.stdout).toContain("bom/typo.reg:1:1: error[");
    expect(run.stdout).toContain("1 | dens\n");
  });

  it("writes versioned json", async () => {
    const run = await regc(["check", "--format", "json", "typo.reg", "clean.reg"]);
    expect(run.code).toBe(1);
    const output = JSON.parse(run.stdout);
    expect(output.version).toBe(1);
    expect(output.files.map((f: { path: string }) => f.path)).toEqual(["typo.reg", "clean.reg"]);
    expect(output.files[0].diagnostics[0]).toMatchObject({ code: "REG1002", severity: "error", range: { start: { line: 10, character: 8 } } });
    expect(output.summary).toMatchObject({ files: 2, errors: 1 });
  });

  it("writes GitHub workflow commands", async () => {
    const run = await regc(["check", "--format=github", "typo.reg"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^::error file=typo\.reg,line=11,col=9,endLine=11,endColumn=12,title=REG1002 unknown layer::unknown layer kind `dens`%0Ahint: /m);
  });

  it("expands folders recursively, skipping node_modules", async () => {
    copyExample("errors/REG1002-unknown-layer.reg", "tree/a.reg");
    copyExample("errors/REG1002-unknown-layer.reg", "tree/deep/b.reg");
    copyExample("errors/REG1002-unknown-layer.reg", "tree/node_modules/pkg/c.reg");
    write("tree/notes.txt", "not a spec");
    const run = await regc(["check", "--format", "json", "tree"]);
    expect(JSON.parse(run.stdout).files.map((f: { path: string }) => f.path)).toEqual(["tree/a.reg", "tree/deep/b.reg"]);
  });

  it("expands globs", async () => {
    copyExample("a-mlp-dropout-maxnorm.reg", "globbed/one.reg");
    copyExample("a-mlp-dropout-maxnorm.reg", "globbed/sub/two.reg");
    const run = await regc(["check", "globbed/**/*.reg"]);
    expect(run).toMatchObject({ code: 0, stdout: "no problems in 2 files\n" });
  });

  it("walks a linked folder once and ends at a cycle of links, for a folder and a glob alike", async () => {
    copyExample("errors/REG1002-unknown-layer.reg", "linked/a.reg");
    copyExample("errors/REG1002-unknown-layer.reg", "linked/sub/b.reg");
    symlinkSync("sub", join(work, "linked/alias"));
    symlinkSync("..", join(work, "linked/sub/up"));
    for (const arg of ["linked", "linked/**/*.reg"]) {
      const run = await regc(["check", "--format", "json", arg]);
      expect(JSON.parse(run.stdout).files.map((f: { path: string }) => f.path), arg).toEqual(["linked/a.reg", "linked/sub/b.reg"]);
    }
  });

  it("follows no link out of the folder it walks, whatever lies at its end, says so once on stderr, and reads what a link named on the command line leads to", async () => {
    copyExample("a-mlp-dropout-maxnorm.reg", "walked/specs/a.reg");
    copyExample("errors/REG1002-unknown-layer.reg", "walked/elsewhere/typo.reg");
    write("walked/elsewhere/secret.reg", "ghp_SECRETTOKEN0123456789\n");
    const links = { "folder": "../elsewhere", "secret.reg": "../elsewhere/secret.reg", "gone.reg": "../elsewhere/gone.reg", "root": "/", "proc": "/proc" };
    for (const [name, target] of Object.entries(links)) symlinkSync(target, join(work, "walked/specs", name));
    for (const arg of ["walked/specs", "walked/specs/**/*.reg"]) {
      const run = await regc(["check", arg]);
      expect(run, arg).toMatchObject({ code: 0, stdout: "no problems in 1 file\n" });
      const skipped = Object.keys(links).sort().map((name) => `regc: warning: skipped walked/specs/${name}: it is a link out of walked/specs, which a walk does not follow; name it to check what it leads to\n`);
      expect(run.stderr, arg).toBe(skipped.join(""));
    }
    const named = await regc(["check", "walked/specs/secret.reg", "walked/specs/folder"]);
    expect(named.code).toBe(1);
    expect(named.stdout).toContain("walked/specs/secret.reg:1:1: error[");
    expect(named.stdout).toContain("walked/specs/folder/typo.reg:11:9: error[REG1002]");
  });

  it("prints a file's name with its control characters as pictures, so no name can forge a workflow command or a terminal escape", async () => {
    const injected = "x\n::warning file=README.md::INJECTED\n.reg";
    const escaped = "y\n::error::FAKE\u001b[31m.reg";
    const broken = "typo\t\u001b]0;title\u0007\n::error::BROKEN.reg";
    mkdirSync(join(work, "named"));
    symlinkSync(injected, join(work, "named", injected));
    symlinkSync("nowhere", join(work, "named", escaped));
    copyExample("errors/REG1002-unknown-layer.reg", join("named", broken));
    const shown = (name: string) => `named/${name.replace(/\n/g, "\u240a").replace(/\t/g, "\u2409").replace(/\u001b/g, "\u241b").replace(/\u0007/g, "\u2407")}`;
    const [text, github, fmt] = [await regc(["check", "named"]), await regc(["check", "--format", "github", "named"]), await regc(["fmt", "--check", "named"])];
    for (const run of [text, github, fmt]) {
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`regc: error: cannot read ${shown(injected)}: too many symbolic links\n`);
      expect(run.stderr).toContain(`regc: error: cannot read ${shown(escaped)}: it is a link to nowhere, which does not exist\n`);
      for (const output of [run.stdout, run.stderr]) expect(output).not.toMatch(/^::(warning|error)::?(INJECTED|FAKE|BROKEN)|^::warning file=README/m);
    }
    // A workflow command's file property keeps the name as GitHub reads it, escaped; text for people shows pictures.
    for (const output of [text.stdout, text.stderr, github.stderr, fmt.stdout, fmt.stderr]) expect(output).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
    expect(text.stdout).toContain(`${shown(broken)}:11:9: error[REG1002]`);
    expect(github.stdout).toContain("::error file=named/typo\t\u001b]0;title\u0007%0A%3A%3Aerror%3A%3ABROKEN.reg,line=11,col=9,");
    const json = await regc(["check", "--format", "json", "named"]);
    expect(JSON.parse(json.stdout).files.map((f: { path: string }) => f.path)).toEqual([`named/${broken}`]);
  });

  it("refuses a kernel pseudo-file named as a spec with exit 2, a link to one too, and reads none of it", async () => {
    symlinkSync("/proc/self/environ", join(work, "environ.reg"));
    for (const arg of ["/proc/self/environ", "environ.reg"]) {
      const run = await regc(["check", arg], { REGLANG_TEST_SECRET: "s3cr3t" });
      expect(run, arg).toMatchObject({ code: 2, stderr: `regc: error: cannot read ${arg}: it is a kernel pseudo-file (/proc, /sys, /dev), not a spec; give a .reg spec file\n` });
      expect(run.stdout).not.toContain("s3cr3t");
    }
  });

  it("exits 2 with one line for a path through a file and for a cycle of links, with no stack trace", async () => {
    expectUsageError(await regc(["check", "clean.reg/inside.reg"]), "no such file or folder: clean.reg/inside.reg");
    symlinkSync("cycle-b.reg", join(work, "cycle-a.reg"));
    symlinkSync("cycle-a.reg", join(work, "cycle-b.reg"));
    expectUsageError(await regc(["check", "cycle-a.reg"]), "cannot read cycle-a.reg: too many symbolic links");
  });

  it("names each spec of a folder that cannot be read, checks all the others and exits 2", async () => {
    const folder = unreadableAmongSpecs("check-unreadable");
    const text = await regc(["check", folder]);
    expect(text.code).toBe(2);
    expect(text.stderr).toBe(UNREADABLE_LINES(folder));
    expect(text.stdout).toMatch(/\n2 errors in 2 files; 3 files could not be read\n$/);
    const json = await regc(["check", "--format", "json", folder]);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout).files.map((f: { path: string; diagnostics: unknown[] }) => [f.path, f.diagnostics.length])).toEqual([[`${folder}/a.reg`, 1], [`${folder}/b.reg`, 1]]);
    const globbed = await regc(["check", `${folder}/*.reg`]);
    expect(globbed.stderr).toBe(UNREADABLE_LINES(folder));
  });

  it("checks a file named two ways once, under its first name", async () => {
    copyExample("errors/REG1002-unknown-layer.reg", "twice/a.reg");
    const run = await regc(["check", "--format", "json", "./twice/a.reg", "twice", "twice/*.reg"]);
    expect(JSON.parse(run.stdout).files.map((f: { path: string }) => f.path)).toEqual(["./twice/a.reg"]);
  });

  it("fails on warnings only with --warnings-as-errors", async () => {
    const plain = await regc(["check", "warning.reg"]);
    expect(plain.code).toBe(0);
    expect(plain.stdout).toContain("warning[REG5003]");
    const strict = await regc(["check", "--warnings-as-errors", "warning.reg"]);
    expect(strict.code).toBe(1);
  });

  it("--quiet shows only what fails the run", async () => {
    expect(await regc(["check", "--quiet", "warning.reg", "clean.reg"])).toMatchObject({ code: 0, stdout: "" });
    const strict = await regc(["check", "--quiet", "--warnings-as-errors", "warning.reg"]);
    expect(strict.code).toBe(1);
    expect(strict.stdout).toContain("warning[REG5003]");
  });

  it("exits 2 with one line and no stack trace for a missing file", async () => {
    expectUsageError(await regc(["check", "missing.reg"]), "no such file or folder: missing.reg");
  });

  it("exits 2 for a folder without specs, a glob without matches, and no files at all", async () => {
    write("empty/readme.txt", "nothing here");
    expectUsageError(await regc(["check", "empty"]), "no .reg files in folder empty");
    expectUsageError(await regc(["check", "nothing/*.reg"]), "no files match nothing/*.reg");
    expectUsageError(await regc(["check"]), "no files given");
  });

  it("exits 2 for an unknown option or format", async () => {
    expectUsageError(await regc(["check", "--strict", "clean.reg"]), "unknown option `--strict`");
    expectUsageError(await regc(["check", "--format", "xml", "clean.reg"]), "must be one of text, json, github");
  });

  it("exits 2 for an option given twice with different values, rather than dropping one", async () => {
    expectUsageError(await regc(["check", "--allow-data", "a", "clean.reg", "--allow-data=b"]), "option `--allow-data` is given twice, `a` and then `b`; give it once: a folder data may be read from, outside the spec's project (several joined by");
    expectUsageError(await regc(["check", "--format", "json", "--format", "text", "clean.reg"]), "option `--format` is given twice");
    expect((await regc(["check", "--format", "json", "--format", "json", "--quiet", "--quiet", "clean.reg"])).code).toBe(0);
  });

  it("loads nothing but node built-ins and the bundle", async () => {
    // Node's own loader log: ESM modules as `Storing URL …`, CommonJS files as `load "PATH" for module`.
    const run = await regc(["check", "clean.reg"], { NODE_DEBUG: "module,esm" });
    expect(run.code).toBe(0);
    const loaded = [...run.stderr.matchAll(/Storing (file:\S+)|load "([^"]+)" for module/g)].map((m) => m[1] ?? m[2]);
    expect(loaded.some((url) => url?.endsWith("/dist/regc.js"))).toBe(true);
    const ours = (url: string) => url.endsWith("/bin/regc.js") || new URL(url, "file:///").pathname.startsWith(`${ROOT}/dist/`);
    expect(loaded.filter((url) => !url || !ours(url))).toEqual([]);
    // The language server's chunk is for `regc lsp` only, each other command's code for that command.
    expect(loaded.filter((url) => url?.includes("/dist/server-"))).toEqual([]);
    expect(loaded.some((url) => url?.includes("/dist/check-"))).toBe(true);
    expect(loaded.filter((url) => /\/dist\/(compile|run|export|predict|fmt|explain|lsp|ablate|tune|worker)-/.test(url ?? ""))).toEqual([]);
  });
});

describe.concurrent("regc fmt", () => {
  const MESSY = readFileSync(join(EXAMPLES, "a-mlp-dropout-maxnorm.reg"), "utf8").replace("h1  = dense(512, activation: relu)", "h1 =   dense( 512,activation:relu )   ");

  it("--check lists files that would change, writes nothing and exits 4", async () => {
    write("fmt-check/messy.reg", MESSY);
    const run = await regc(["fmt", "--check", "fmt-check"]);
    expect(run.code).toBe(4);
    expect(run.stdout).toContain("would reformat: fmt-check/messy.reg");
    expect(readFileSync(join(work, "fmt-check/messy.reg"), "utf8")).toBe(MESSY);
  });

  it("rewrites files in place, after which --check passes", async () => {
    write("fmt-write/messy.reg", MESSY);
    const run = await regc(["fmt", "fmt-write/messy.reg"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("reformatted: fmt-write/messy.reg");
    expect(readFileSync(join(work, "fmt-write/messy.reg"), "utf8")).not.toBe(MESSY);
    expect(readdirSync(join(work, "fmt-write"))).toEqual(["messy.reg"]);
    expect((await regc(["fmt", "--check", "fmt-write"])).code).toBe(0);
  });

  it("keeps a spec's byte-order mark when it rewrites it", async () => {
    write("fmt-bom/messy.reg", `\ufeff${MESSY}`);
    expect((await regc(["fmt", "fmt-bom/messy.reg"])).code).toBe(0);
    const formatted = readFileSync(join(work, "fmt-bom/messy.reg"), "utf8");
    expect(formatted.startsWith("\ufeff")).toBe(true);
    expect(formatted.slice(1)).not.toContain("\ufeff");
    expect((await regc(["fmt", "--check", "fmt-bom"])).code).toBe(0);
  });

  it("rewrites a linked spec through its link, which stays a link", async () => {
    write("fmt-link/real.reg", MESSY);
    symlinkSync("real.reg", join(work, "fmt-link/alias.reg"));
    const run = await regc(["fmt", "fmt-link/alias.reg"]);
    expect(run.code).toBe(0);
    expect(lstatSync(join(work, "fmt-link/alias.reg")).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(work, "fmt-link/real.reg"), "utf8")).not.toBe(MESSY);
    expect(readdirSync(join(work, "fmt-link")).sort()).toEqual(["alias.reg", "real.reg"]);
  });

  it("rewrites no spec through a link out of the folder it walks", async () => {
    write("fmt-walked/elsewhere/messy.reg", MESSY);
    write("fmt-walked/specs/messy.reg", MESSY);
    symlinkSync("../elsewhere/messy.reg", join(work, "fmt-walked/specs/linked.reg"));
    symlinkSync("../elsewhere", join(work, "fmt-walked/specs/folder"));
    const run = await regc(["fmt", "fmt-walked/specs"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe("reformatted: fmt-walked/specs/messy.reg\n1 file reformatted, 0 files already formatted\n");
    expect(run.stderr).toContain("regc: warning: skipped fmt-walked/specs/linked.reg: it is a link out of fmt-walked/specs");
    expect(run.stderr).toContain("regc: warning: skipped fmt-walked/specs/folder: it is a link out of fmt-walked/specs");
    expect(readFileSync(join(work, "fmt-walked/elsewhere/messy.reg"), "utf8")).toBe(MESSY);
  });

  it("names each spec of a folder that cannot be read, formats all the others and exits 2", async () => {
    const folder = unreadableAmongSpecs("fmt-unreadable");
    write(`${folder}/messy.reg`, MESSY);
    const run = await regc(["fmt", folder]);
    expect(run).toMatchObject({ code: 2, stderr: UNREADABLE_LINES(folder) });
    expect(run.stdout).toBe(`reformatted: ${folder}/messy.reg\n1 file reformatted, 2 files already formatted, 3 files could not be read\n`);
    expect(readFileSync(join(work, folder, "messy.reg"), "utf8")).not.toBe(MESSY);
  });

  it("refuses a spec that is not UTF-8, naming the first such byte and where it stands, and leaves its bytes alone", async () => {
    // A comment saved as Latin-1: "café" with é as the one byte 0xE9, which a rewrite as UTF-8 would turn into U+FFFD.
    const latin1 = Buffer.concat([Buffer.from("// caf"), Buffer.of(0xe9), Buffer.from(`\n${MESSY}`)]);
    mkdirSync(join(work, "fmt-latin1"));
    writeFileSync(join(work, "fmt-latin1/old.reg"), latin1);
    const message = "regc: error: cannot read fmt-latin1/old.reg: it is not UTF-8 text: the byte 0xE9 at line 1, column 7 is not UTF-8 (a Latin-1 or Windows-1252 letter, perhaps); save the file as UTF-8\n";
    for (const command of ["fmt", "check"]) {
      const run = await regc([command, "fmt-latin1/old.reg"]);
      expect(run).toMatchObject({ code: 2, stderr: message });
    }
    expect(readFileSync(join(work, "fmt-latin1/old.reg")).equals(latin1)).toBe(true);
  });

  it("reports syntax errors as check does, leaves the file alone and exits 1", async () => {
    const broken = `${MESSY}\nmodel broken( {\n`;
    write("fmt-broken/broken.reg", broken);
    const run = await regc(["fmt", "fmt-broken"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/fmt-broken\/broken\.reg:\d+:\d+: error\[REG0001\]/);
    expect(readFileSync(join(work, "fmt-broken/broken.reg"), "utf8")).toBe(broken);
  });
});

describe.concurrent("regc explain", () => {
  it("explains a known code with its example and what check reports on it", async () => {
    const run = await regc(["explain", "REG1002"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^REG1002: unknown layer\nseverity: error\n\nEach line of a `model` block/);
    expect(run.stdout).toContain("Example (examples/errors/REG1002-unknown-layer.reg):");
    expect(run.stdout).toContain("examples/errors/REG1002-unknown-layer.reg:11:9: error[REG1002]");
  });

  it("accepts a lowercase code", async () => {
    expect((await regc(["explain", "reg1002"])).stdout).toMatch(/^REG1002: unknown layer/);
  });

  it("suggests the nearest code for an unknown one and exits 2", async () => {
    expectUsageError(await regc(["explain", "REG1O02"]), "unknown diagnostic code `REG1O02`; did you mean REG1002?");
  });

  it("prints every catalog entry of a name: arguments, defaults, ranges, formula and book section", async () => {
    const run = await regc(["explain", "dropout"]);
    expect(run.code).toBe(0);
    // A layer and a technique share the name: both entries, plain text for a terminal.
    expect(run.stdout).toMatch(/^`dropout` — layer · book §7\.12\n/);
    expect(run.stdout).toContain("`dropout` — Dropout after a layer · book §7.12");
    expect(run.stdout).toContain("- `rate` — a fraction (e.g. `0.1` or `10%`), required, in [0, 1)");
    expect(run.stdout).toContain("    h̃ = m ⊙ h / (1 − p)");
    expect(run.stdout).not.toContain("**");
    const settingRun = await regc(["explain", "normalize"]);
    expect(settingRun.stdout).toContain("`normalize` — data setting (optional)");
    expect(settingRun.stdout).toContain("One of `none`, `standard`, `minmax`.");
    expect((await regc(["explain", "adam"])).stdout).toContain("- `lr` — a number, default `0.001`, > 0");
    expect((await regc(["explain", "regularize"])).stdout).toMatch(/^`regularize` — block/);
  });

  it("suggests the nearest name for a word that is neither a code nor a name", async () => {
    expectUsageError(await regc(["explain", "normalise"]), "`normalise` is neither a diagnostic code nor a name of the language; did you mean `normalize`?");
  });

  it("says where a value of an argument or setting is written", async () => {
    const relu = await regc(["explain", "relu"]);
    expect(relu.code).toBe(0);
    expect(relu.stdout).toMatch(/^`relu` is a value of `dense` argument `activation`, `conv2d` argument `activation`, .*; see `regc explain dense`\n$/);
    expect((await regc(["explain", "drop"])).stdout).toBe("`drop` is a value of `missing` in `data`; see `regc explain missing`\n");
  });

  it("suggests no name for a word near none, as the checker's did-you-mean does not", async () => {
    for (const word of ["along", "val_loss", "%"]) {
      expectUsageError(await regc(["explain", word]), `\`${word}\` is neither a diagnostic code nor a name of the language (every name is in docs/reference.md)\n`);
    }
  });
});

describe.concurrent("regc", () => {
  it("prints help and the version", async () => {
    const help = await regc(["--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/check .*\n.*compile .*\n.*run .*\n.*export .*\n.*predict .*\n.*fmt .*\n.*explain /);
    expect((await regc(["check", "--help"])).stdout).toMatch(/^Usage: regc check FILES/);
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
    expect((await regc(["--version"])).stdout).toBe(`regc ${pkg.version}\n`);
  });

  it("reports an internal error with its stack and exits 3", async () => {
    // A bundle copied out of its package cannot find examples/errors: a broken install, not a user mistake.
    cpSync(join(ROOT, "dist"), join(work, "stray"), { recursive: true });
    const run = await regc(["explain", "REG1002"], {}, join(work, "stray", "regc.js"));
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/^regc: internal error, please report it/);
    expect(run.stderr).toMatch(/^\s+at /m);
  });

  it("says in words why a run, an ablation or a tuning folder to resume cannot be read", async () => {
    expectUsageError(await regc(["ablate", "--resume", "no-such-ablation"]), "no-such-ablation/ablation.json: no such file or folder\n");
    expectUsageError(await regc(["tune", "--resume", "no-such-tuning"]), "no-such-tuning/tuning.json: no such file or folder\n");
    expectUsageError(await regc(["run", "--resume", "no-such-run"]), "cannot read run folder no-such-run: no such file or folder\n");
  });

  it("exits 2 for an unknown command or none", async () => {
    expectUsageError(await regc(["build", "clean.reg"]), "unknown command `build`");
    const bare = await regc([]);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toContain("Usage: regc COMMAND");
  });
});
