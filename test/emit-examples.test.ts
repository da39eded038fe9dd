import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/compiler/index.js";
import { emitTypeScript } from "../src/compiler/emit/emit.js";
import { parse } from "../src/compiler/syntax/parse.js";
import { findSpaces } from "../src/compiler/tuning/spaces.js";
import { writePoint } from "../src/compiler/tuning/write-point.js";
import { EXAMPLES_DIR } from "./support/examples.js";

/**
 * The program `regc compile` writes for every example, byte for byte: a
 * change to the compiler that changes what a spec trains shows here first.
 * A spec with search spaces is compiled at its first point (each space's
 * first choice or low end), as `regc tune` writes a trial's spec.
 * `UPDATE_GOLDEN=1` rewrites the expected programs.
 */

const GOLDEN_DIR = join(import.meta.dirname, "emit-golden");
const FOLDERS = ["", "more", "tuning"];

function specs(): Array<{ label: string; path: string }> {
  return FOLDERS.flatMap((folder) =>
    readdirSync(join(EXAMPLES_DIR, folder))
      .filter((file) => file.endsWith(".reg"))
      .sort()
      .map((file) => ({ label: folder ? `${folder}-${file}` : file, path: join(EXAMPLES_DIR, folder, file) })),
  );
}

/** The spec as one trial of a search trains it, at the first value of every space. */
function firstPoint(text: string): string {
  const { spaces } = findSpaces(parse(text).ast, text);
  if (spaces.length === 0) return text;
  return writePoint(text, Object.fromEntries(spaces.map((space) => [space.name, space.kind === "choice" ? space.options[0]! : space.low])));
}

describe("emitted programs of the examples", () => {
  for (const { label, path } of specs()) {
    it(label, async () => {
      const text = firstPoint(readFileSync(path, "utf8"));
      const checked = check(text, { path });
      expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
      const emitted = await emitTypeScript({ checked, text, specPath: path, outDir: join(path, "..", "out") });
      if (!emitted.ok) throw new Error(emitted.diagnostics.map((d) => d.message).join("\n"));
      const golden = join(GOLDEN_DIR, label.replace(/\.reg$/, ".ts.txt"));
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, emitted.code);
      expect(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(emitted.code).toBe(readFileSync(golden, "utf8"));
    });
  }
});
