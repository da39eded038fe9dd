import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { check, type Diagnostic } from "../src/compiler/index.js";

/**
 * What `regc check` says about a table before anything trains: the rows a
 * `missing` policy keeps, the columns a spec may use as features and
 * targets, split sizes the rows cannot fill, and ids an embedding cannot
 * look up. Each is caught here, where the run would otherwise fail late,
 * crash, or train on the wrong thing.
 */

const project = realpathSync(mkdtempSync(join(tmpdir(), "reglang-data-checks-")));
mkdirSync(join(project, "data"));
writeFileSync(join(project, "package.json"), "{}");
afterAll(() => rmSync(project, { recursive: true, force: true }));

/** A CSV of `rows` rows: a, b (numbers), cls (p or q), one (always `same`), id (0…19) and y. */
function table(name: string, rows: number, edit: (cells: Record<string, string>, row: number) => void = () => {}): void {
  const lines = ["a,b,cls,one,id,y"];
  for (let row = 0; row < rows; row++) {
    const cells = { a: String(row % 7), b: String((row * 3) % 11), cls: row % 2 ? "p" : "q", one: "same", id: String(row % 20), y: String(row / 10) };
    edit(cells, row);
    lines.push(Object.values(cells).join(","));
  }
  writeFileSync(join(project, "data", name), `${lines.join("\n")}\n`);
}
table("full.csv", 40);
table("gaps.csv", 12, (cells, row) => {
  if (row === 4) cells.b = "";
  if (row === 9) cells.cls = "";
});

interface Parts {
  file?: string;
  data?: string;
  layers?: string;
  task?: string;
}

function spec({ file = "full.csv", data = "features a, b\n  target   y = number(y)\n  split    train: 0.5, test: 0.5", layers = "out = dense(1)", task = "task fit = regress(m.out, t.y)" }: Parts): string {
  return `data t {
  source   csv("data/${file}")
  ${data}
}

model m(t.input) {
  ${layers}
}

${task}

train {
  optimizer adam(lr: 1e-2)
  epochs    1
  batch     4
}

regularize m {
  l2(1e-4)
}
`;
}

function diagnostics(text: string): Diagnostic[] {
  return check(text, { path: join(project, "spec.reg") }).diagnostics.filter((d) => d.severity === "error");
}

const codes = (text: string) => diagnostics(text).map((d) => d.code);

describe("missing values", () => {
  it("are refused by `missing error` as by no setting, naming the first row without a value", () => {
    const unset = diagnostics(spec({ file: "gaps.csv" }));
    const written = diagnostics(spec({ file: "gaps.csv", data: "features a, b\n  missing  error\n  target   y = number(y)\n  split    train: 0.5, test: 0.5" }));
    for (const found of [unset, written]) {
      expect(found.map((d) => d.code)).toEqual(["REG6004"]);
      // Row 6: the header is row 1, so the fifth record (index 4).
      expect(found[0]!.message).toBe("data/gaps.csv has 1 row with no value in `b`, the first at row 6");
    }
    expect(unset[0]!.hint).toBe("add `missing drop` or `missing mean` to the data block");
    expect(written[0]!.hint).toBe("change `missing error` to `missing drop` or `missing mean`");
  });

  it("in a target column alone are refused with a hint of `missing drop`, as `missing mean` fills features only", () => {
    table("one-unlabelled.csv", 10, (cells, row) => row === 3 && (cells.cls = ""));
    const classified = (missing: string) =>
      diagnostics(spec({ file: "one-unlabelled.csv", data: `features a, b\n  ${missing}\n  target   k = class(cls)\n  split    train: 0.5, test: 0.5`, layers: "out = dense(2)", task: "task c = classify(m.out, t.k)" }));
    const [unset, written] = [classified("// no missing policy"), classified("missing  error")];
    expect([unset, written].map((found) => found.map((d) => d.code))).toEqual([["REG6004"], ["REG6004"]]);
    expect(unset[0]!.hint).toBe("add `missing drop` to the data block to leave out the rows without a target (`missing mean` fills features only), or fill the gaps in the file");
    expect(written[0]!.hint).toBe("change `missing error` to `missing drop` to leave out the rows without a target (`missing mean` fills features only), or fill the gaps in the file");
  });

  it("in a feature with no value at all get a hint to leave it out, which no `missing` policy can make up for", () => {
    table("no-b.csv", 10, (cells) => (cells.b = ""));
    for (const missing of ["missing  drop", "// no missing policy"]) {
      const found = diagnostics(spec({ file: "no-b.csv", data: `features a, b\n  ${missing}\n  target   y = number(y)\n  split    train: 0.5, test: 0.5` }));
      const gaps = found.find((d) => d.code === "REG6004")!;
      expect(gaps.message).toBe("data/no-b.csv has 10 rows with no value in `b`, the first at row 2");
      expect(gaps.hint).toBe("`b` has no value in any row, which neither `missing drop` nor `missing mean` can make up for: leave it out of `features`");
    }
  });

  it("under `missing mean` leave out a row without its class label, as the run does, and fill the rest", () => {
    const classified = (split: string) =>
      spec({ file: "gaps.csv", data: `features a, b\n  missing  mean\n  target   k = class(cls)\n  ${split}`, layers: "out = dense(2)", task: "task c = classify(m.out, t.k)" });
    // 12 rows, one without a label: 11 to split; the row without `b` stays, its gap filled.
    expect(codes(classified("split    train: 6, test: 5"))).toEqual([]);
    const tooMany = diagnostics(classified("split    train: 6, test: 6"));
    expect(tooMany.map((d) => d.code)).toEqual(["REG2006"]);
    expect(tooMany[0]!.message).toBe("the splits ask for 12 rows but data/gaps.csv has 11");
  });
});

describe("features", () => {
  it("may not name a column twice", () => {
    const found = diagnostics(spec({ data: "features a, b, a\n  target   y = number(y)\n  split    train: 0.5, test: 0.5" }));
    expect(found.map((d) => d.message)).toEqual(["column `a` is given more than once"]);
    expect(found[0]!.related?.[0]?.message).toBe("first given here");
    const splits = diagnostics(spec({ data: "features a, b\n  target   y = number(y)\n  split    train: 0.5, train: 0.2, test: 0.3" }));
    expect(splits.map((d) => d.message)).toEqual(["split `train` is given more than once"]);
  });

  it("misspelled, are fixed by writing the column as the spec must: quoted where it is not a name, spaces around it kept", () => {
    writeFileSync(join(project, "data", "headers.csv"), "Flipper Length (mm), age ,y\n1,2,3\n4,5,6\n7,8,9\n1,1,1\n");
    const written = spec({ file: "headers.csv", data: "features Flipper_Length_mm, age\n  target   y = number(y)\n  split    train: 0.5, test: 0.5" });
    const found = diagnostics(written);
    expect(found.map((d) => [d.code, d.hint])).toEqual([
      ["REG1009", 'did you mean `"Flipper Length (mm)"`?'],
      ["REG1009", 'did you mean `" age "`?'],
    ]);
    const fixed = found.reduceRight((text, d) => text.slice(0, d.fix!.edits[0]!.span.start) + d.fix!.edits[0]!.newText + text.slice(d.fix!.edits[0]!.span.end), written);
    expect(fixed).toContain('features "Flipper Length (mm)", " age "');
    expect(codes(fixed)).toEqual([]);
  });

  it("of text are refused with what to do for a feature, which is not what to do for a `number(…)` target", () => {
    const feature = diagnostics(spec({ data: "features a, cls\n  target   y = number(y)\n  split    train: 0.5, test: 0.5" }));
    expect(feature.map((d) => [d.code, d.hint])).toEqual([["REG6003", "a feature must hold numbers: write its values as numbers, or leave `cls` out of `features`"]]);
    const target = diagnostics(spec({ data: "features a, b\n  target   y = number(cls)\n  split    train: 0.5, test: 0.5" }));
    expect(target.map((d) => [d.code, d.hint])).toEqual([["REG6003", "use `class(…)` for a column of labels"]]);
  });

  it("may not include a target's column: the model would be given its own label", () => {
    const found = diagnostics(spec({ data: "features a, y\n  target   y = number(y)\n  split    train: 0.5, test: 0.5" }));
    expect(found.map((d) => d.code)).toEqual(["REG6006"]);
    expect(found[0]!.message).toBe("column `y` holds target `y`, so it cannot be a feature too");
  });
});

describe("a JSON column of arrays or objects", () => {
  it("is said to hold them, not plain text, with what to do for a feature", () => {
    writeFileSync(join(project, "data", "nested.json"), JSON.stringify(Array.from({ length: 8 }, (_, i) => ({ a: i, b: [i, i + 1], y: i / 2 }))));
    const found = diagnostics(spec({ file: "nested.json" }).replace('csv("data/nested.json")', 'json("data/nested.json")'));
    expect(found.map((d) => [d.code, d.message, d.hint])).toEqual([
      [
        "REG6003",
        "column `b` of data/nested.json is nested JSON (item 1 of the array (counting from 1) holds an array), not numeric",
        "a row holds one number here: give each number in the arrays a key of its own (a column) in every record",
      ],
    ]);
  });
});

describe("a data path written with `\\`", () => {
  it("gets the fix that writes it with `/`, whether the `\\` was escaped or read as an escape", () => {
    for (const written of ["data\\full.csv", "data\\\\full.csv"]) {
      const text = spec({}).replace('csv("data/full.csv")', `csv("${written}")`);
      const [missing, ...others] = diagnostics(text);
      expect(others).toEqual([]);
      expect(missing!.code).toBe("REG6001");
      expect(missing!.hint).toMatch(/^write the path with `\/`, `data\/full.csv`/);
      const fix = missing!.fix!.edits[0]!;
      expect(codes(text.slice(0, fix.span.start) + fix.newText + text.slice(fix.span.end))).toEqual([]);
    }
  });
});

describe("booleans", () => {
  // Item 3 of `mixed` is `true` among numbers; `flag` holds booleans only.
  const records = Array.from({ length: 20 }, (_, row) => ({ a: row % 7, flag: row % 3 === 0, mixed: row === 2 ? true : row / 4, y: row / 10 }));
  writeFileSync(join(project, "data", "flags.json"), JSON.stringify(records));
  const jsonSpec = (features: string) => spec({ file: "flags.json", data: `features ${features}\n  target   y = number(y)\n  split    train: 0.5, test: 0.5` }).replace("csv(", "json(");

  it("are numbers 1 and 0 in a column of booleans, as the run reads them", () => {
    expect(diagnostics(jsonSpec("a, flag"))).toEqual([]);
  });

  it("among numbers are refused, as the run refuses them, naming the first and how to fix it", () => {
    const found = diagnostics(jsonSpec("a, mixed"));
    expect(found.map((d) => d.code)).toEqual(["REG6003"]);
    expect(found[0]!.message).toBe("column `mixed` of data/flags.json is mixed (numbers, and item 3 of the array (counting from 1) is true), not numeric");
    expect(found[0]!.hint).toBe("write its booleans as 1 and 0: a column is numeric when every value is a number, or every value a boolean");
    const all = diagnostics(jsonSpec("all"));
    expect(all.map((d) => d.code)).toEqual(["REG6003"]);
    expect(all[0]!.hint).toBe("write its booleans as 1 and 0: a column is numeric when every value is a number, or every value a boolean");
  });
});

describe("a class target", () => {
  it("needs a column of two labels or more, and says what the one label is", () => {
    const found = diagnostics(
      spec({ data: "features a, b\n  target   k = class(one)\n  split    train: 0.5, test: 0.5", layers: "out = dense(2)", task: "task c = classify(m.out, t.k)" }),
    );
    expect(found.map((d) => d.code)).toEqual(["REG2001"]);
    expect(found[0]!.message).toBe('the class count of `k` must be at least 2, got 1 (every label in data/full.csv is "same")');
  });

  it("is warned of labels that differ only in case or surrounding spaces, naming both and a row of each, as they train as separate classes", () => {
    const classTarget = (file: string) =>
      check(spec({ file, data: "features a, b\n  target   k = class(cls)\n  split    train: 0.5, test: 0.5", layers: "out = dense(3)", task: "task c = classify(m.out, t.k)" }), {
        path: join(project, "spec.reg"),
      }).diagnostics;
    table("cased.csv", 12, (cells, row) => row === 5 && (cells.cls = "P"));
    table("spaced.csv", 12, (cells, row) => row === 8 && (cells.cls = '" q"'));
    expect(classTarget("cased.csv").map((d) => [d.code, d.severity, d.message])).toEqual([
      ["REG6013", "warning", 'column `cls` of data/cased.csv holds "p" (row 3) and "P" (row 7), which differ only in case: they are two classes'],
    ]);
    expect(classTarget("spaced.csv").map((d) => d.message)).toEqual(['column `cls` of data/spaced.csv holds "q" (row 2) and " q" (row 10), which differ only in surrounding spaces: they are two classes']);
    expect(classTarget("full.csv").map((d) => d.code)).not.toContain("REG6013");
  });
});

describe("split sizes", () => {
  it("refuse a fraction that leaves a split no rows", () => {
    const found = diagnostics(spec({ data: "features a, b\n  target   y = number(y)\n  split    train: 0.5, val: 0.01, test: 0.2" }));
    expect(found.map((d) => d.code)).toEqual(["REG2001"]);
    expect(found[0]!.message).toBe("split `val` must be a fraction that leaves it at least one row, got 0.01 (0 of 40 rows)");
  });

  it("refuse a count written with a decimal point, which reads as a fraction but counts rows", () => {
    const found = diagnostics(spec({ data: "features a, b\n  target   y = number(y)\n  split    train: 1.0" }));
    expect(found.map((d) => d.code)).toEqual(["REG2001"]);
    expect(found[0]!.hint).toBe("write `1` for 1 row, or a fraction below 1 (`0.8`) for a share of the rows");
    expect(codes(spec({ data: "features a, b\n  target   y = number(y)\n  split    train: 30, test: 1e1" }))).toEqual([]);
  });
});

describe("a file with a header and no rows", () => {
  it("gets one error saying so, instead of one per empty column", () => {
    writeFileSync(join(project, "data", "header.csv"), "a,b,cls,one,id,y\n");
    const found = diagnostics(spec({ file: "header.csv" }));
    expect(found.map((d) => d.code)).toEqual(["REG6002"]);
    expect(found[0]!.message).toBe("cannot read `data/header.csv`: it names its columns but holds no rows");
  });
});

describe("an embedding of the model's input", () => {
  const embedded = (dim: number, data = "features id\n  target   y = number(y)\n  split    train: 0.5, test: 0.5") =>
    spec({ data, layers: `e   = embedding(${dim}, 3)\n  f   = flatten()\n  out = dense(1)` });

  it("takes columns of whole numbers from 0 to input_dim − 1", () => {
    expect(codes(embedded(20))).toEqual([]);
    const found = diagnostics(embedded(10));
    expect(found.map((d) => d.code)).toEqual(["REG6007"]);
    expect(found[0]!.message).toBe("`e` looks up ids 0…9, but column `id` of data/full.csv holds ids from 0 to 19");
    expect(found[0]!.hint).toBe("give the embedding room for every id: `embedding(20, …)`");
  });

  it("refuses negative ids, fractions, and normalized inputs", () => {
    table("negative.csv", 10, (cells, row) => (cells.id = String(row - 2)));
    expect(diagnostics(spec({ file: "negative.csv", layers: "e   = embedding(20, 3)\n  f   = flatten()\n  out = dense(1)", data: "features id\n  target   y = number(y)\n  split    train: 0.5, test: 0.5" }))[0]!.message).toBe(
      "`e` looks up ids 0…19, but column `id` of data/negative.csv holds ids from -2 to 7",
    );
    const fraction = diagnostics(embedded(20, "features id, y\n  target   k = class(cls)\n  split    train: 0.5, test: 0.5"));
    expect(fraction.map((d) => d.code)).toContain("REG6007");
    expect(fraction.find((d) => d.code === "REG6007")!.message).toBe("`e` looks up ids 0…19, but column `y` of data/full.csv holds 0.1 (row 3), not a whole number");
    const normalized = diagnostics(embedded(20, "features id\n  normalize standard\n  target   y = number(y)\n  split    train: 0.5, test: 0.5"));
    expect(normalized.map((d) => d.code)).toEqual(["REG6007"]);
    expect(normalized[0]!.message).toBe("`e` looks up ids 0…19, but `normalize standard` in data `t` rescales them into fractions");
  });
});

describe("one mistake, one report", () => {
  it("says once that a `missing` policy leaves no row, instead of once per split", () => {
    table("alternating.csv", 10, (cells, row) => (row % 2 ? (cells.a = "") : (cells.b = "")));
    const dropped = diagnostics(spec({ file: "alternating.csv", data: "features a, b\n  missing  drop\n  target   y = number(y)\n  split    train: 0.6, val: 0.2, test: 0.2" }));
    expect(dropped.map((d) => d.code)).toEqual(["REG6004"]);
    expect(dropped[0]!.hint).toContain("`missing drop` leaves no row");
    table("unlabelled.csv", 10, (cells) => (cells.cls = ""));
    const filled = diagnostics(
      spec({ file: "unlabelled.csv", data: "features a, b\n  missing  mean\n  target   k = class(cls)\n  split    train: 0.5, test: 0.5", layers: "out = dense(2)", task: "task c = classify(m.out, t.k)" }),
    );
    expect(filled.map((d) => d.code)).toEqual(["REG6004"]);
    expect(filled[0]!.hint).toContain("`missing mean` fills features only, and no row has its target");
  });

  it("does not ask to normalize the ids an embedding reads, which REG6007 forbids", () => {
    table("wide-ids.csv", 20, (cells, row) => (cells.a = String(1000 + row * 500)));
    const scales = (layers: string) => check(spec({ file: "wide-ids.csv", data: "features id, a\n  target   y = number(y)\n  split    train: 0.5, test: 0.5", layers }), { path: join(project, "spec.reg") }).diagnostics.map((d) => d.code);
    expect(scales("out = dense(1)")).toEqual(["REG6005"]);
    expect(scales("e   = embedding(11000, 3)\n  f   = flatten()\n  out = dense(1)")).toEqual([]);
  });

  it("leaves a misspelled layer or an unknown `from` to their own errors", () => {
    const misspelled = spec({ layers: "d   = dropuot(0.5)\n  out = dense(1)" }).replace("  l2(1e-4)\n", "  l2(1e-4)\n  mc_dropout(10)\n");
    expect(codes(misspelled)).toEqual(["REG1002"]);
    expect(codes(spec({ data: "features id\n  target   y = number(y)\n  split    train: 0.5, test: 0.5", layers: "e   = embedding(2, 3) from nowhere\n  f   = flatten()\n  out = dense(1)" }))).toEqual(["REG1005"]);
  });
});

describe("more that check catches", () => {
  it("an embedding's ids filled with a mean by `missing mean`", () => {
    table("id-gaps.csv", 10, (cells, row) => row === 3 && (cells.id = ""));
    const found = diagnostics(spec({ file: "id-gaps.csv", data: "features id\n  missing  mean\n  target   y = number(y)\n  split    train: 0.5, test: 0.5", layers: "e   = embedding(20, 3)\n  f   = flatten()\n  out = dense(1)" }));
    expect(found.map((d) => d.code)).toEqual(["REG6007"]);
    expect(found[0]!.message).toBe("`e` looks up ids 0…19, but `missing mean` fills the gaps in column `id` with a mean, a fraction");
  });

  it("a JSON file of no records, said as such; a count in exponent notation is a count", () => {
    writeFileSync(join(project, "data", "none.json"), "[]");
    const found = diagnostics(spec({}).replace('csv("data/full.csv")', 'json("data/none.json")'));
    expect(found.map((d) => d.message)).toEqual(["cannot read `data/none.json`: it holds no rows"]);
    expect(codes(spec({ data: "features a, b\n  target   y = number(y)\n  split    train: 1.5e1, test: 5" }))).toEqual([]);
  });
});
