import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check, type CheckOptions, type Diagnostic } from "../src/compiler/index.js";
import { resolveSource } from "../src/compiler/sources/index.js";
import { EXCERPT_LENGTH } from "../src/shared/tabular/index.js";

/**
 * Specs written to hurt whoever checks them: data paths out of the project,
 * files that never end, content meant to leak into CI annotations, numbers
 * past float range, models too large for memory. Each is a diagnostic,
 * never a read outside, a hang or a crash.
 */

const scratch = realpathSync(mkdtempSync(join(tmpdir(), "reglang-hostile-")));
const project = join(scratch, "project");
const elsewhere = join(scratch, "elsewhere");
mkdirSync(join(project, "specs"), { recursive: true });
mkdirSync(join(project, "data"), { recursive: true });
mkdirSync(elsewhere, { recursive: true });
writeFileSync(join(project, "package.json"), "{}");
writeFileSync(join(project, "data", "ok.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n");
writeFileSync(join(elsewhere, "secret.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n");
const SPEC = join(project, "specs", "spec.reg");

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

function spec(source: string, train = "optimizer sgd(lr: 0.1)\n  epochs 5\n  batch 2", layers = "out = dense(1)"): string {
  return `data small {
  source   ${source}
  features a, b
  target   y = number(y)
  split    train: 0.5, test: 0.5
}

model net(small.input) {
  ${layers}
}

task fit = regress(net.out, small.y)

train {
  ${train}
}

regularize net {
  l2(0.1) on out.kernel
}
`;
}

function diagnostics(text: string, options: CheckOptions = {}, path = SPEC): Diagnostic[] {
  return check(text, { path, ...options }).diagnostics.filter((d) => d.severity === "error");
}

function codes(text: string, options: CheckOptions = {}, path = SPEC): string[] {
  return diagnostics(text, options, path).map((d) => d.code);
}

describe("data paths stay inside the spec's project", () => {
  it("reads a file inside the project, `..` included while it stays inside", () => {
    expect(codes(spec('csv("../data/ok.csv")'))).toEqual([]);
  });

  it("refuses an absolute path outside, without looking whether it exists", () => {
    const [error] = diagnostics(spec(`csv("${join(elsewhere, "secret.csv")}")`));
    expect(error).toMatchObject({ code: "REG6010" });
    expect(error!.message).toContain("outside the spec's project");
    expect(error!.hint).toContain("--allow-data");
    expect(codes(spec(`csv("${join(elsewhere, "absent.csv")}")`))).toEqual(["REG6010"]);
  });

  it("refuses `..` that leaves the project", () => {
    expect(codes(spec('csv("../../elsewhere/secret.csv")'))).toEqual(["REG6010"]);
  });

  it("refuses a link inside the project that points out of it", () => {
    symlinkSync(join(elsewhere, "secret.csv"), join(project, "data", "link.csv"));
    const [error] = diagnostics(spec('csv("../data/link.csv")'));
    expect(error).toMatchObject({ code: "REG6010" });
    expect(error!.message).toContain("symbolic link");
  });

  it("gives one answer for every link that leads out, whatever lies at its end, so a spec cannot probe the disk", () => {
    execFileSync("mkfifo", [join(elsewhere, "pipe.csv")]);
    const targets = { file: join(elsewhere, "secret.csv"), absent: join(elsewhere, "absent.csv"), folder: elsewhere, pipe: join(elsewhere, "pipe.csv"), "absent folder": join(elsewhere, "none", "x.csv") };
    for (const [kind, target] of Object.entries(targets)) {
      symlinkSync(target, join(project, "data", `to-${kind}.csv`));
      const errors = diagnostics(spec(`csv("../data/to-${kind}.csv")`)).map((d) => [d.code, d.message]);
      expect(errors, kind).toEqual([["REG6010", `\`../data/to-${kind}.csv\` lies outside the spec's project, through a symbolic link; data files must lie inside the spec's project or an installed package`]]);
    }
    // Out and back in is out: what lies outside is never looked at, links there included.
    symlinkSync(project, join(elsewhere, "back-in"));
    symlinkSync(join(elsewhere, "back-in", "data", "ok.csv"), join(project, "data", "out-and-in.csv"));
    expect(codes(spec('csv("../data/out-and-in.csv")'))).toEqual(["REG6010"]);
  });

  it("follows links that stay inside the project, and reads a cycle of them as no file", () => {
    symlinkSync("ok.csv", join(project, "data", "alias.csv"));
    symlinkSync("../data", join(project, "specs", "data-link"));
    expect(codes(spec('csv("../data/alias.csv")'))).toEqual([]);
    expect(codes(spec('csv("data-link/alias.csv")'))).toEqual([]);
    symlinkSync("cycle-b.csv", join(project, "data", "cycle-a.csv"));
    symlinkSync("cycle-a.csv", join(project, "data", "cycle-b.csv"));
    expect(codes(spec('csv("../data/cycle-a.csv")'))).toEqual(["REG6001"]);
  });

  it("reads a folder outside once the user allows it, never because the spec asks", () => {
    const outside = spec(`csv("${join(elsewhere, "secret.csv")}")`);
    expect(codes(outside, { dataAccess: { allowedFolders: [elsewhere] } })).toEqual([]);
    expect(codes(spec('csv("../data/link.csv")'), { dataAccess: { allowedFolders: [elsewhere] } })).toEqual([]);
    expect(codes(outside, { dataAccess: { allowedFolders: [join(project, "data")] } })).toEqual(["REG6010"]);
  });

  it("takes the spec's folder as the project when no folder above holds package.json or .git", () => {
    const loose = join(elsewhere, "loose.reg");
    // `elsewhere` sits in the system's temporary folder, with no package.json or .git above it.
    expect(codes(spec('csv("secret.csv")'), {}, loose)).toEqual([]);
    expect(codes(spec('csv("../project/data/ok.csv")'), {}, loose)).toEqual(["REG6010"]);
  });

  it("suggests a near name for a missing file, with a fix, from a folder inside the project", () => {
    const [error] = diagnostics(spec('csv("../data/OK.csv")'));
    expect(error).toMatchObject({ code: "REG6001", hint: "did you mean `../data/ok.csv`?" });
    expect(error!.fix?.edits[0]?.newText).toBe('"../data/ok.csv"');
    expect(diagnostics(spec('csv("../data/nothing-like-it.csv")'))[0]!.hint).toContain("resolves beside the spec first, then inside an installed package");
  });

  it("suggests no file of another extension, which the source would read as the wrong kind", () => {
    writeFileSync(join(project, "data", "penguins.csv"), "a,b,y\n1,2,3\n4,5,6\n");
    const [error] = diagnostics(spec('json("../data/penguins.json")'));
    expect(error).toMatchObject({ code: "REG6001" });
    expect(error!.hint).not.toContain("penguins.csv");
    expect(error!.hint).toContain("resolves beside the spec first");
    expect(error!.fix).toBeUndefined();
  });

  it("suggests no name from a folder that a link leads out of the project to", () => {
    symlinkSync(elsewhere, join(project, "data", "elsewhere-link"));
    const [error] = diagnostics(spec('csv("../data/elsewhere-link/secrets.csv")'));
    expect(error).toMatchObject({ code: "REG6010" });
    expect(error!.hint).not.toContain("secret.csv");
    expect(error!.fix).toBeUndefined();
  });

  it("refuses a package path that climbs out of its package", () => {
    expect(codes(spec('json("vega-datasets/../../../../etc/passwd")'))).toEqual(["REG6010"]);
  });

  it("refuses a package that a link in the project's node_modules brings in from outside, whatever lies there", () => {
    const outsidePackage = join(elsewhere, "outside-package");
    mkdirSync(outsidePackage);
    writeFileSync(join(outsidePackage, "package.json"), '{"name":"o"}');
    writeFileSync(join(outsidePackage, "token.txt"), "ghp_SECRETTOKEN0123456789\nfoo\n");
    mkdirSync(join(project, "specs", "node_modules"));
    symlinkSync(outsidePackage, join(project, "specs", "node_modules", "evil"));
    symlinkSync(join(elsewhere, "no-package-here"), join(project, "specs", "node_modules", "dangling"));
    const leak = spec('csv("evil/token.txt")').replace("features a, b", "features zzz").replace("number(y)", "class(zzz)");
    const errors = diagnostics(leak);
    expect(errors.map((d) => d.code)).toContain("REG6010");
    expect(JSON.stringify(errors)).not.toContain("SECRET");
    expect(errors.find((d) => d.code === "REG6010")!.message).toBe("`evil/token.txt` lies outside the spec's project, in a package `evil` linked in from outside; data files must lie inside the spec's project or an installed package");
    for (const path of ["evil/absent.csv", "evil/../outside-package/token.txt", "dangling/data.csv"]) expect(codes(spec(`csv("${path}")`)), path).toEqual(["REG6010"]);
    expect(codes(spec('csv("evil/token.txt")'), { dataAccess: { allowedFolders: [elsewhere] } })).not.toContain("REG6010");
    // A node_modules that is itself a link out is not looked in, so nothing says what it holds.
    mkdirSync(join(elsewhere, "modules"));
    symlinkSync(outsidePackage, join(elsewhere, "modules", "evil"));
    mkdirSync(join(project, "linked-modules"));
    symlinkSync(join(elsewhere, "modules"), join(project, "linked-modules", "node_modules"));
    const beside = join(project, "linked-modules", "spec.reg");
    for (const path of ["evil/token.txt", "evil/absent.csv"]) expect(resolveSource("csv", path, beside), path).toEqual({ ok: false, code: "REG6001", params: { path } });
  });

  it("reads a package linked from inside the project, as pnpm and workspaces install them", () => {
    const store = join(project, "node_modules", ".pnpm", "linked-data@1.0.0", "node_modules", "linked-data");
    mkdirSync(store, { recursive: true });
    writeFileSync(join(store, "package.json"), '{"name":"linked-data"}');
    writeFileSync(join(store, "ok.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n");
    symlinkSync(join(".pnpm", "linked-data@1.0.0", "node_modules", "linked-data"), join(project, "node_modules", "linked-data"));
    expect(codes(spec('csv("linked-data/ok.csv")'))).toEqual([]);
  });

  it("looks for packages above the project only where the user allows, and beside regc only for its own", () => {
    const above = join(scratch, "node_modules", "above-data");
    mkdirSync(above, { recursive: true });
    writeFileSync(join(above, "package.json"), '{"name":"above-data"}');
    writeFileSync(join(above, "ok.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n");
    expect(codes(spec('csv("above-data/ok.csv")'))).toEqual(["REG6001"]);
    expect(codes(spec('csv("above-data/ok.csv")'), { dataAccess: { allowedFolders: [scratch] } })).toEqual([]);
    // reglang depends on vega-datasets, not on typescript, which is installed beside it too.
    expect(resolveSource("json", "vega-datasets/data/cars.json", SPEC)).toMatchObject({ ok: true, schema: { label: "cars.json", rows: 406 } });
    expect(resolveSource("json", "typescript/package.json", SPEC)).toMatchObject({ ok: false, code: "REG6001" });
  });

  it("refuses /proc, even where the user allows it: kernel files are no data", () => {
    expect(codes(spec('csv("/proc/self/environ")'))).toEqual(["REG6010"]);
    const allowed = diagnostics(spec('csv("/proc/self/environ")'), { dataAccess: { allowedFolders: ["/proc"] } });
    expect(allowed.map((d) => d.code)).toEqual(["REG6011"]);
    expect(allowed[0]!.message).toContain("kernel pseudo-file");
  });

  it("refuses devices, folders and named pipes before reading them, so none can hang or fill memory", () => {
    expect(codes(spec('csv("/dev/zero")'), { dataAccess: { allowedFolders: ["/dev"] } })).toEqual(["REG6011"]);
    expect(diagnostics(spec('csv("../data")'))[0]).toMatchObject({ code: "REG6011", message: "`../data` is a folder, not a regular file" });
    execFileSync("mkfifo", [join(project, "data", "pipe.csv")]);
    expect(diagnostics(spec('csv("../data/pipe.csv")'))[0]).toMatchObject({ code: "REG6011", message: "`../data/pipe.csv` is a named pipe, not a regular file" });
  });

  it("says that an empty path names no file, rather than calling it the spec's folder", () => {
    for (const written of ['csv("")', 'json("  ")']) {
      const [error, ...rest] = diagnostics(spec(written));
      expect(rest).toEqual([]);
      expect(error).toMatchObject({ code: "REG2001", message: expect.stringMatching(/path must be a file's path, got "\s*"$/) });
      expect(error!.hint).toMatch(/^write the data file's path, relative to the spec: `(csv|json)\("data\.(csv|json)"\)`$/);
    }
  });
});

describe("diagnostics quote a data file's content only in short, escaped excerpts", () => {
  it("cuts and escapes a column name that holds a whole file", () => {
    const secret = `TOKEN=${"s".repeat(500)}\nline two\u0000`;
    writeFileSync(join(project, "data", "long-header.csv"), `"${secret}",y\nx,1\ny,2\n`);
    const found = check(spec('csv("../data/long-header.csv")').replace("features a, b", "features all"), { path: SPEC }).diagnostics;
    const about = found.filter((d) => d.code === "REG6003");
    expect(about).toHaveLength(1);
    expect(about[0]!.message).not.toContain("\n");
    expect(about[0]!.message).not.toContain("s".repeat(EXCERPT_LENGTH + 1));
    expect(about[0]!.message).toContain(`TOKEN=${"s".repeat(EXCERPT_LENGTH - 6)}…`);
  });

  it("escapes the text value that makes a column mixed", () => {
    writeFileSync(join(project, "data", "mixed.csv"), 'a,b,y\n1,2,3\n4,"five\nFAKE::error",6\n');
    const [error] = diagnostics(spec('csv("../data/mixed.csv")'));
    expect(error!.code).toBe("REG6003");
    expect(error!.message).toContain('row 3 is "five\\\\nFAKE::error"');
    expect(error!.message).not.toContain("\n");
  });
});

describe("numbers past float range are errors at check", () => {
  it("names the file, column and row of a CSV cell, the header being row 1", () => {
    writeFileSync(join(project, "data", "huge.csv"), "a,b,y\n1,2,3\n4,5,6\n7,1e999,9\n10,11,12\n");
    const [error] = diagnostics(spec('csv("../data/huge.csv")'));
    expect(error).toMatchObject({ code: "REG6012", message: "`../data/huge.csv`, column `b`, row 4: a number beyond float range (read as Infinity)" });
  });

  it("names the item of a JSON array, counting from 1", () => {
    writeFileSync(join(project, "data", "huge.json"), '[{"a":1,"b":2,"y":3},{"a":-1e999,"b":2,"y":3},{"a":1,"b":2,"y":3},{"a":1,"b":2,"y":3}]');
    const [error] = diagnostics(spec('json("../data/huge.json")'));
    expect(error).toMatchObject({ code: "REG6012", message: "`../data/huge.json`, column `a`, item 2 of the array (counting from 1): a number beyond float range (read as -Infinity)" });
  });

  it("reports a spec literal past float range where it is written, once", () => {
    const text = spec('csv("../data/ok.csv")', "optimizer sgd(lr: 1e999)\n  epochs 5\n  batch 2");
    const found = diagnostics(text);
    expect(found.map((d) => [d.code, text.slice(d.span.start, d.span.end)])).toEqual([["REG2010", "1e999"]]);
  });

  it("reports a literal past float range in any form and wherever it stands, and no finite one", () => {
    const past = ["1e+400", `1${"0".repeat(309)}`, `${"9".repeat(250)}e99`, "-2.5E999"];
    const finite = ["1e-300", "1e99", `1${"0".repeat(250)}`];
    const reported = (literal: string) => {
      const text = spec('csv("../data/ok.csv")', "optimizer sgd(lr: 0.1)\n  epochs 5\n  batch 2", `out = dense(1)\n  mystery(${literal})`);
      return diagnostics(text).filter((d) => d.code === "REG2010").map((d) => text.slice(d.span.start, d.span.end));
    };
    for (const literal of past) expect(reported(literal)).toEqual([literal]);
    for (const literal of finite) expect(reported(literal)).toEqual([]);
  });

  it("reports a literal nearer 0 than float range, which reads as 0, once, and no 0 written as such", () => {
    const below = ["1e-400", "-2.5E-999", `0.${"0".repeat(330)}1`];
    const kept = ["0", "0.0", "0e-400", "5e-324", "1e-300"];
    const reported = (literal: string) => {
      const text = spec('csv("../data/ok.csv")', "optimizer sgd(lr: 0.1)\n  epochs 5\n  batch 2", `out = dense(1)\n  mystery(${literal})`);
      return diagnostics(text).filter((d) => d.code === "REG2011").map((d) => text.slice(d.span.start, d.span.end));
    };
    for (const literal of below) expect(reported(literal)).toEqual([literal]);
    for (const literal of kept) expect(reported(literal)).toEqual([]);
    // Read as absent, as a literal past the top of the range is: no second report that l2 with 0 does nothing.
    const penalty = spec('csv("../data/ok.csv")').replace("l2(0.1) on out.kernel", "l2(1e-400) on out.kernel");
    expect(check(penalty, { path: SPEC }).diagnostics.map((d) => d.code)).toEqual(["REG2011"]);
  });

  it("names a number written in another language's notation, once, with its decimal as the fix", () => {
    const written = (literal: string) => {
      const text = spec('csv("../data/ok.csv")', `optimizer sgd(lr: 0.1)\n  epochs ${literal}\n  batch 2`);
      return diagnostics(text).map((d) => [d.code, d.message, d.hint, d.fix?.edits[0]?.newText]);
    };
    expect(written("0x10")).toEqual([["REG2002", "`epochs` expects a number written in decimal, got `0x10`, hexadecimal", "write `16`", "16"]]);
    expect(written("0b101")).toEqual([["REG2002", "`epochs` expects a number written in decimal, got `0b101`, binary", "write `5`", "5"]]);
    expect(written("0o17")).toEqual([["REG2002", "`epochs` expects a number written in decimal, got `0o17`, octal", "write `15`", "15"]]);
    expect(written("3_000")).toEqual([["REG2002", "`epochs` expects a number written in decimal, got `3_000`, digits grouped with `_`", "write `3000`", "3000"]]);
    // Not a notation: a unit where none belongs, as before.
    expect(written("0xZZ").map(([code, message]) => [code, message])).toEqual([["REG2002", "`epochs` expects an integer without a unit, got `0xZZ`"]]);
  });

  it("refuses counts that do not fit 32 bits and seeds that do not fit 32 unsigned bits", () => {
    const ok = spec('csv("../data/ok.csv")', "optimizer sgd(lr: 0.1)\n  epochs 5\n  batch 2\n  seed 4294967295");
    expect(codes(ok)).toEqual([]);
    const epochs = spec('csv("../data/ok.csv")', "optimizer sgd(lr: 0.1)\n  epochs 1e12\n  batch 2");
    expect(diagnostics(epochs).map((d) => d.message)).toEqual(["`epochs` must be at most 2147483647, got 1000000000000"]);
    const seed = spec('csv("../data/ok.csv")', "optimizer sgd(lr: 0.1)\n  epochs 5\n  batch 2\n  seed 4294967296");
    expect(diagnostics(seed).map((d) => d.message)).toEqual(["`seed` must be in [0, 4294967295], got 4294967296"]);
    const dataSeed = spec('csv("../data/ok.csv")').replace("split    train", "seed     4294967296\n  split    train");
    expect(codes(dataSeed)).toEqual(["REG2001"]);
  });
});

describe("the memory budget", () => {
  const wide = (units: number) => spec('csv("../data/ok.csv")', undefined, `h = dense(${units})\n  out = dense(1)`);

  it("refuses a model whose training needs more than the budget, saying how much", () => {
    const [error] = diagnostics(wide(100_000_000));
    expect(error?.code).toBe("REG3008");
    // 400,000,001 parameters (2·10⁸ + 10⁸, then 10⁸ + 1), 4 copies of 4 bytes: 6,400,000,016 bytes; activations of
    // 2 + 10⁸ + 1 values, 2 copies of 4 bytes for a batch of 2: 1,600,000,048. Together 8,000,000,064 bytes = 7.45 GiB.
    expect(error!.message).toContain("needs about 7.5 GB (400,000,001 parameters, 100,000,003 activation values per batch of 2)");
    expect(error!.message).toContain("more than the 2 GB memory budget");
  });

  it("is the user's to raise or lower", () => {
    expect(codes(wide(100_000_000), { memoryBudget: 8 * 1024 ** 3 })).toEqual([]);
    expect(codes(wide(1000))).toEqual([]);
    // 4,001 parameters · 16 bytes = 64,016 bytes, plus activations 2 copies · batch 2 · (2 + 1000 + 1) values · 4 bytes = 16,048.
    expect(codes(wide(1000), { memoryBudget: 80_064 })).toEqual([]);
    expect(codes(wide(1000), { memoryBudget: 80_063 })).toEqual(["REG3008"]);
  });

  it("counts a batch larger than the training split as the split's rows, as training takes it", () => {
    const largeBatch = spec('csv("../data/ok.csv")', "optimizer sgd(lr: 0.1)\n  epochs 5\n  batch 100000", "h = dense(1000)\n  out = dense(1)");
    // The train split holds 2 of the file's 4 rows: the same 80,064 bytes as a batch of 2.
    expect(codes(largeBatch, { memoryBudget: 80_064 })).toEqual([]);
    expect(diagnostics(largeBatch, { memoryBudget: 80_063 })[0]!.message).toContain("1,003 activation values per batch of 2)");
  });
});

describe("globs", () => {
  it("match a long name against many stars at once, where a backtracking match took seconds", { timeout: 5000 }, () => {
    const name = "a".repeat(42);
    const withGlob = (glob: string) => spec('csv("../data/ok.csv")', undefined, `${name} = dense(4)\n  out = dense(1)`).replace("out.kernel", glob);
    const found = diagnostics(withGlob(`${"a*".repeat(10)}b.kernel`));
    expect(found.map((d) => [d.code, d.message])).toEqual([["REG1007", `\`${"a*".repeat(10)}b.kernel\` matches no parameter of \`net\``]]);
    expect(codes(withGlob(`${"a*".repeat(10)}a.kernel`))).toEqual([]);
  });
});

describe("generated names", () => {
  it("must differ after case and underscores are folded", () => {
    const text = spec('csv("../data/ok.csv")') + "\nmodel Net(small.input) {\n  out = dense(1)\n}\n";
    const found = diagnostics(text);
    expect(found.map((d) => d.code)).toEqual(["REG5009"]);
    expect(found[0]!.message).toBe("`Net` and `net` differ only in case or underscores");
    const underscored = spec('csv("../data/ok.csv")').replaceAll("small", "my_data") + "\nmodel myData(my_data.input) {\n  out = dense(1)\n}\n";
    expect(codes(underscored)).toContain("REG5009");
  });

  it("are compared once each, so twenty thousand declarations check in seconds, where each was compared with every earlier one", { timeout: 15_000 }, () => {
    const tasks = Array.from({ length: 20_000 }, (_, i) => `task t${i} = regress(net.out, small.y)`).join("\n");
    const found = diagnostics(`${spec('csv("../data/ok.csv")')}\n${tasks}\ntask T_5 = regress(net.out, small.y)\n`);
    expect(found.map((d) => [d.code, d.message])).toEqual([["REG5009", "`T_5` and `t5` differ only in case or underscores"]]);
  });
});

describe("JSON records", () => {
  it("read a column only from a record's own keys: `constructor` missing from a row is a gap", () => {
    writeFileSync(join(project, "data", "proto.json"), '[{"a":1,"b":2,"y":3,"constructor":1},{"a":1,"b":2,"y":3},{"a":1,"b":2,"y":3,"constructor":2},{"a":1,"b":2,"y":3,"constructor":3}]');
    const text = spec('json("../data/proto.json")').replace("features a, b", "features a, constructor");
    const found = diagnostics(text);
    expect(found.map((d) => d.code)).toEqual(["REG6004"]);
    expect(found[0]!.message).toContain("has 1 row with no value in `constructor`");
  });
});

describe("spec-derived text in generated code", () => {
  it("escapes a file name with line breaks, so the program still parses", async () => {
    const { emitTypeScript } = await import("../src/compiler/emit/emit.js");
    const { ts } = await import("ts-morph");
    const path = join(project, "specs", "we\nird name\u2028.reg");
    const text = spec('csv("../data/ok.csv")');
    const emitted = await emitTypeScript({ checked: check(text, { path }), text, specPath: path, outDir: join(project, "out") });
    expect(emitted.ok).toBe(true);
    if (!emitted.ok) return;
    const file = ts.createSourceFile("program.ts", emitted.code, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TS);
    expect((file as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics).toEqual([]);
    expect(emitted.code).toContain("we\\nird name\\u2028.reg:");
    expect(emitted.code.split("\n").some((line) => line.startsWith("ird"))).toBe(false);
  });
});
