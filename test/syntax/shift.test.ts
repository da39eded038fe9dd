import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChunkCache, parse } from "../../src/compiler/index.js";
import { shiftedNode } from "../../src/compiler/syntax/shift.js";
import { EXAMPLES_DIR } from "../support/examples.js";

/**
 * A tree moved by `shiftedNode` must be the tree a parse of the moved text
 * gives: the same nodes, spans and keys, in the parser's key order (the
 * order is what keeps the copies on the parser's object shapes).
 */

function specFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => (entry.isDirectory() ? specFiles(join(dir, entry.name)) : entry.name.endsWith(".reg") ? [join(dir, entry.name)] : []))
    .sort();
}

/** Every key in the order the object holds it, `undefined` members included. */
function withKeyOrder(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(withKeyOrder).join(",")}]`;
  const record = value as Record<string, unknown>;
  return `{${Object.keys(record)
    .map((key) => `${key}:${withKeyOrder(record[key])}`)
    .join(",")}}`;
}

describe("moving a parsed tree", () => {
  const specs = specFiles(EXAMPLES_DIR).map((path) => ({ path, text: readFileSync(path, "utf8") }));

  it("gives, for every example spec, the tree the moved text parses to", () => {
    let compared = 0;
    for (const { path, text } of specs) {
      const { ast, diagnostics } = parse(text);
      // Recovery may place a hole at the file's start, which no move reproduces: those specs are not moved (see parse.ts).
      if (diagnostics.length > 0) continue;
      for (const distance of [1, 17]) {
        const moved = parse(`${"\n".repeat(distance)}${text}`).ast;
        const move = { delta: distance, from: 0, stray: false };
        expect(withKeyOrder(ast.blocks.map((b) => shiftedNode(b, move))), `${path} moved by ${distance}`).toBe(withKeyOrder(moved.blocks));
        expect(withKeyOrder(ast.comments.map((c) => shiftedNode(c, move)))).toBe(withKeyOrder(moved.comments));
        expect(move.stray).toBe(false);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(20);
  });

  it("leaves the tree it moved as it was", () => {
    const { ast } = parse(specs[0]!.text);
    const before = withKeyOrder(ast.blocks);
    ast.blocks.map((b) => shiftedNode(b, { delta: 5, from: 0, stray: false }));
    expect(withKeyOrder(ast.blocks)).toBe(before);
  });

  it("marks a move that would carry a span from before where the text moved from", () => {
    const { ast } = parse(specs[0]!.text);
    const move = { delta: -3, from: ast.blocks[1]!.span.start, stray: false };
    shiftedNode(ast.blocks[0]!, move);
    expect(move.stray).toBe(true);
  });
});

describe("moving a parse that recovery left a placeholder in", () => {
  it("parses the moved block again, as a placeholder at the file's start does not move with it", () => {
    // The spec from its first block on, so that block is a chunk starting at the file's start.
    const example = readFileSync(join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg"), "utf8");
    const text = example.slice(example.indexOf("data ")).replace("image(28, 28, 1)", "image(28,, 28, 1)");
    const cache = new ChunkCache();
    expect(parse(text, cache).diagnostics.length).toBeGreaterThan(0);
    // A block written above it moves it, its text unchanged.
    const moved = `train {\n}\n${text}`;
    expect(withKeyOrder(parse(moved, cache))).toBe(withKeyOrder(parse(moved)));
  });
});
