import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ChunkCache, parse } from "../src/compiler/index.js";
import { parseWhole } from "../src/compiler/syntax/parse.js";
import { chunkStarts } from "../src/compiler/syntax/chunks.js";
import type { ModelBlock } from "../src/compiler/syntax/ast.js";
import type { Span } from "../src/compiler/syntax/span.js";
import { contractExamples, EXAMPLES_DIR } from "./support/examples.js";
import { pick, seededRandom } from "./support/random.js";

describe("chunk boundaries", () => {
  it("start at each line that opens a block", () => {
    const text = "data d {\n  seed 1\n}\nmodel m(d.input) {\n}\ntask t = classify(m.out, d.y)\ntrain {\n}\nregularize m {\n}\n";
    const heads = chunkStarts(text).map((s) => text.slice(s, text.indexOf("\n", s)));
    expect(heads).toEqual(["data d {", "model m(d.input) {", "task t = classify(m.out, d.y)", "train {", "regularize m {"]);
  });

  it("ignore block words inside block comments, indented, or used as argument names", () => {
    const text = "data d {\n/*\nmodel hidden {\n*/\n  split train: 10\ntrain: 5\n  model x\n}\n";
    expect(chunkStarts(text)).toEqual([0]);
  });

  it("ignore a block comment opener inside a string or a line comment", () => {
    const text = 'data d {\n  source csv("a/*b.csv") // not /* a comment\n}\nmodel m(d.input) {\n}\n';
    expect(chunkStarts(text)).toEqual([0, text.indexOf("model")]);
  });
});

describe("parsing block by block", () => {
  it("gives a spec without syntax errors the same tree as parsing it whole", () => {
    const errors = join(EXAMPLES_DIR, "errors");
    const specs = [
      ...contractExamples().map((e) => e.text),
      ...readdirSync(errors).filter((f) => f.endsWith(".reg") && !f.startsWith("REG0")).map((f) => readFileSync(join(errors, f), "utf8")),
    ];
    expect(specs.length).toBeGreaterThan(50);
    for (const text of specs) {
      const whole = parseWhole(text);
      expect(whole.diagnostics).toEqual([]);
      expect(parse(text)).toEqual(whole);
    }
  });

  it("keeps an unclosed block from swallowing the blocks after it", () => {
    const text = "model m(d.input) {\n  h = dense(1)\n\ntask t = regress(m.h, d.y)\ntrain {\n  epochs 1\n}\n";
    const { ast, diagnostics } = parse(text);
    expect(ast.blocks.map((b) => b.kind)).toEqual(["ModelBlock", "TaskDecl", "TrainBlock"]);
    expect(diagnostics.map((d) => d.message)).toEqual(["expected `}`, found the next block"]);
  });

  it("parses the comment and blank lines after a block apart from it, so typing there leaves the block's tree as it was", () => {
    const cache = new ChunkCache();
    const text = "data d {\n  seed 1\n}\n\nmodel m(d.input) {\n  h = dense(1)\n}\n";
    const before = parse(text, cache).ast.blocks;
    const after = parse(`${text}\n// a note\n`, cache);
    expect(after.ast.blocks).toEqual(before);
    expect(after.ast.blocks[1]).toBe(before[1]);
    expect(after.ast.comments.map((c) => c.text)).toEqual(["// a note"]);
  });

  it("parses texts of nothing but blank and comment lines", () => {
    for (const text of ["", "\n", "\n\n", " \n", "\n// a\n", "// a", "\r\n\r\n// a\r\n", "\n\ndata d {\n}\n\n"]) {
      expect(parse(text).ast.comments.map((c) => c.text), JSON.stringify(text)).toEqual(text.includes("//") ? ["// a"] : []);
    }
  });

  it("lets an unclosed block run on through the comment lines after it, to the end it reports", () => {
    const text = "model m(d.input) {\n  h = dense(1)\n// a note\n\n";
    const { diagnostics } = parse(text);
    expect(diagnostics.map((d) => [d.message, d.span.start])).toEqual([["expected `}`, found the end of the file", text.length]]);
  });

  it("gives the same result from a cache of earlier versions' chunks as from scratch", () => {
    const random = seededRandom(42);
    for (const example of contractExamples()) {
      const cache = new ChunkCache();
      let text = example.text;
      for (let i = 0; i < 150; i++) {
        const at = Math.floor(random() * text.length);
        text = random() < 0.5 ? text.slice(0, at) + pick(random, ["{", "}", "x", "\n", "data ", "model m(", "/*", "*/", ")"]) + text.slice(at) : text.slice(0, at) + text.slice(at + 3);
        expect(parse(text, cache)).toEqual(parse(text));
      }
    }
  });
});

describe("parsing a block again after an edit inside its body", () => {
  const lines = (text: string) => text.split("\n");
  /** Edits that keep a spec's lines statements, as typing does most of the time, and some that do not. */
  const edits: Array<(text: string, random: () => number) => string> = [
    (text, random) => lines(text).map((line, i, all) => (i === Math.floor(random() * all.length) ? `${line} ` : line)).join("\n"),
    (text, random) => text.replace(/\d/g, (digit) => (random() < 0.05 ? String((Number(digit) + 1) % 10) : digit)),
    (text, random) => {
      const all = lines(text);
      // Some lines join the line before (a clause, a closing bracket) or after (an open call), or open a comment another closes.
      const line = pick(random, ["  extra = dense(4)", "  // a note", "", "  dropout(0.2)", "  epochs 3", "  l2(1e-4) on *.kernel", "    using digits.train", "    on h1.kernel", "  h9 = dense(4,", "  activation: relu)", "  /*", "  */"]);
      all.splice(Math.floor(random() * all.length), 0, line);
      return all.join("\n");
    },
    (text, random) => {
      const all = lines(text);
      all.splice(Math.floor(random() * all.length), 1);
      return all.join("\n");
    },
    (text, random) => {
      const at = Math.floor(random() * text.length);
      return text.slice(0, at) + pick(random, ["(", ")", "x", "\n", "/*", "*/", '"', "]"]) + text.slice(at);
    },
  ];

  it("gives the tree and diagnostics a parse from scratch gives, through seeded edits", () => {
    const random = seededRandom(7);
    for (const example of contractExamples()) {
      const cache = new ChunkCache();
      let text = example.text;
      parse(text, cache);
      for (let i = 0; i < 200; i++) {
        text = i % 50 === 49 ? example.text : pick(random, edits)(text, random);
        expect(parse(text, cache), `edit ${i} of ${example.name}:\n${text}`).toEqual(parse(text));
      }
    }
  });

  it("keeps the statements the edit did not touch, and parses the edited line alone", () => {
    const cache = new ChunkCache();
    const text = "model m(d.input) {\n  h1 = dense(8)  // first\n  h2 = dense(8)\n  h3 = dense(8)\n}\ntask t = regress(m.h3, d.y)\n";
    const before = parse(text, cache).ast;
    const edited = text.replace("h2 = dense(8)", "h2 = dense(16, activation: relu)");
    const after = parse(edited, cache);
    expect(after).toEqual(parse(edited));
    const [h1, h2, h3] = (after.ast.blocks[0] as ModelBlock).body;
    const [earlier1, earlier2, earlier3] = (before.blocks[0] as ModelBlock).body;
    expect(h1).toBe(earlier1);
    expect(h2).not.toBe(earlier2);
    expect(h3).not.toBe(earlier3);
    expect(h3).toEqual({ ...earlier3, ...shiftedBy(earlier3!, edited.length - text.length) });
    expect(after.ast.comments.map((c) => c.text)).toEqual(["// first"]);
  });
});

describe("parsing a block again where an edit reaches past its lines", () => {
  it("parses the block whole where an edit opens a comment on one line and closes it on another", () => {
    const cache = new ChunkCache();
    const text = "model m(d.input) {\n  h1 = dense(8)\n  h2 = dense(8)\n  h3 = dense(8)\n}\n";
    parse(text, cache);
    const edited = text.replace("h1 = dense(8)", "/* h1 = dense(8)").replace("h3 = dense(8)", "h3 = dense(8) */ h4 = dense(2)");
    const after = parse(edited, cache);
    expect(after).toEqual(parse(edited));
    expect((after.ast.blocks[0] as ModelBlock).body.map((s) => (s.kind === "CallStatement" ? s.name?.name : s.kind))).toEqual(["h4"]);
  });
});

function shiftedBy<T>(value: T, delta: number): T {
  return JSON.parse(JSON.stringify(value), (key: string, item: unknown) => (item && typeof item === "object" && "start" in item && "end" in item && Object.keys(item).length === 2 ? { start: (item as Span).start + delta, end: (item as Span).end + delta } : item)) as T;
}
