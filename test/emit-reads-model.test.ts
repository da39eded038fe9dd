import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The emitter writes code from the resolved model alone: it imports nothing
 * of the syntax tree or of argument binding, and does not follow the
 * model's pointers back into the tree (`block`, `statement`, `decl`).
 */

const ROOT = join(import.meta.dirname, "..");
const EMIT = join(ROOT, "src", "compiler", "emit");
/** Modules that hold the syntax tree or bind it: reading them is reading the AST. */
const SYNTAX = ["src/compiler/syntax/ast.ts", "src/compiler/syntax/parse.ts", "src/compiler/syntax/build-ast.ts", "src/compiler/checker/args.ts"];

function emitterFiles(): Array<{ path: string; text: string }> {
  return readdirSync(EMIT, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => ({ path: join(EMIT, file), text: readFileSync(join(EMIT, file), "utf8") }));
}

/** The repository-relative source file an import names. */
function imported(from: string, specifier: string): string {
  return relative(ROOT, resolve(dirname(from), specifier)).replace(/\.js$/, ".ts");
}

describe("the emitter reads the resolved model only", () => {
  const files = emitterFiles();

  it("finds the emitter's files", () => {
    expect(files.map((f) => relative(EMIT, f.path))).toContain("emit.ts");
  });

  for (const { path, text } of files) {
    it(`${relative(ROOT, path)} imports no syntax tree and follows no pointer into one`, () => {
      const imports = [...text.matchAll(/from\s+"(\.[^"]+)"/g)].map((match) => imported(path, match[1]!));
      expect(imports.filter((file) => SYNTAX.includes(file))).toEqual([]);
      expect(text.match(/\.(block|statement|decl)\b/g) ?? []).toEqual([]);
    });
  }
});
