import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "../../src/compiler/index.js";
import type * as A from "../../src/compiler/syntax/ast.js";
import { parseWhole } from "../../src/compiler/syntax/parse.js";
import { contractExamples, EXAMPLES_DIR } from "../support/examples.js";

/**
 * A syntax error in a block's header (what stands before its `{`, or a
 * task's `NAME =`) is reported once, and the block keeps its body and
 * whatever of the header was readable. Every header of every example is
 * broken in each way that applies to it, one at a time.
 */

interface HeaderBreak {
  what: string;
  applies: (block: A.Block) => boolean;
  /** The header line broken, or undefined where the line does not have the form. */
  apply: (line: string) => string | undefined;
  /** What of the header the block still has. */
  keeps: { name: boolean; input: boolean };
}

const hasBody = (block: A.Block) => block.kind !== "TaskDecl";
const named = (block: A.Block) => block.kind === "DataBlock" || block.kind === "ModelBlock" || block.kind === "RegularizeBlock";

const BREAKS: HeaderBreak[] = [
  // `train` takes an optional name, so one word there is no error.
  { what: "a stray word before `{`", applies: (b) => hasBody(b) && b.kind !== "TrainBlock", apply: (line) => replaceLast(line, " {", " stray {"), keeps: { name: true, input: true } },
  { what: "two stray words before `{`", applies: hasBody, apply: (line) => replaceLast(line, " {", " stray words {"), keeps: { name: true, input: true } },
  { what: "two stray words and no `{`", applies: hasBody, apply: (line) => replaceLast(line, " {", " stray words"), keeps: { name: true, input: true } },
  { what: "no name", applies: named, apply: (line) => line.replace(/^(\w+) \w+/, "$1 "), keeps: { name: false, input: true } },
  { what: "an input cut short", applies: (b) => b.kind === "ModelBlock", apply: (line) => line.replace(/\((\w+)\.input\)/, "($1-input)"), keeps: { name: true, input: false } },
  { what: "a wrong sign for `=`", applies: (b) => b.kind === "TaskDecl", apply: (line) => line.replace(/ = /, " - "), keeps: { name: true, input: true } },
  { what: "a number for a name", applies: (b) => b.kind === "TaskDecl", apply: (line) => line.replace(/^task /, "task 1"), keeps: { name: false, input: true } },
];

function replaceLast(line: string, from: string, to: string): string | undefined {
  const at = line.lastIndexOf(from);
  return at < 0 ? undefined : line.slice(0, at) + to + line.slice(at + from.length);
}

/** What each block holds, header aside: its statements' kinds and callees, or a task's call. */
function contents(block: A.Block): string[] {
  if (block.kind === "TaskDecl") return [block.call?.callee.name ?? "(no call)"];
  return block.body.map((s) => (s.kind === "Setting" ? `setting ${s.keyword.name}` : `call ${s.call.callee.name}`));
}

function nameOf(block: A.Block): string | undefined {
  return block.kind === "RegularizeBlock" ? block.target?.name : block.kind === "TuneBlock" ? undefined : block.name?.name;
}

function lineOf(text: string, offset: number): number {
  return text.slice(0, offset).split("\n").length;
}

function specs(): Array<{ name: string; text: string }> {
  const tuning = join(EXAMPLES_DIR, "tuning");
  return [
    ...contractExamples(),
    ...readdirSync(tuning)
      .filter((f) => f.endsWith(".reg"))
      .map((f) => ({ name: `tuning/${f}`, text: readFileSync(join(tuning, f), "utf8") })),
  ];
}

describe("a syntax error in a block's header", () => {
  for (const { name, text } of specs()) {
    it(`is reported once and loses nothing of the body, in every header of ${name}`, () => {
      const valid = parse(text);
      expect(valid.diagnostics).toEqual([]);
      let tried = 0;
      valid.ast.blocks.forEach((block, index) => {
        const lineStart = text.lastIndexOf("\n", block.keyword.start - 1) + 1;
        const lineEnd = text.indexOf("\n", lineStart);
        const line = text.slice(lineStart, lineEnd);
        for (const header of BREAKS.filter((b) => b.applies(block))) {
          const brokenLine = header.apply(line);
          if (brokenLine === undefined || brokenLine === line) continue;
          tried++;
          const broken = text.slice(0, lineStart) + brokenLine + text.slice(lineEnd);
          const where = `${header.what}: ${brokenLine}`;
          for (const result of [parse(broken), parseWhole(broken)]) {
            expect(result.diagnostics.map((d) => `${d.code} ${lineOf(broken, d.span.start)}`), where).toEqual([`REG0001 ${lineOf(text, lineStart)}`]);
            const blocks = result.ast.blocks;
            expect(blocks.map((b) => b.kind), where).toEqual(valid.ast.blocks.map((b) => b.kind));
            expect(blocks.map(contents), where).toEqual(valid.ast.blocks.map(contents));
            const kept = blocks[index]!;
            if (block.kind !== "TrainBlock") expect(nameOf(kept), where).toBe(header.keeps.name ? nameOf(block) : undefined);
            if (block.kind === "ModelBlock") expect((kept as A.ModelBlock).input !== undefined, where).toBe(header.keeps.input);
          }
        }
      });
      expect(tried).toBeGreaterThan(5);
    });
  }
});
