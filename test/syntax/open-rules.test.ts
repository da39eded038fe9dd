import { describe, expect, it } from "vitest";
import { chunkAround } from "../../src/compiler/syntax/chunks.js";
import { lex } from "../../src/compiler/syntax/lexer.js";
import { openRulesAtEnd, type OpenRule } from "../../src/compiler/syntax/parser.js";
import { openRulesBefore } from "../../src/compiler/syntax/statement-at.js";
import { contractExamples } from "../support/examples.js";
import { pick, seededRandom } from "../support/random.js";

/**
 * The rules a parse is inside where its input stops: what a cursor there is
 * in, read by the language server. Reading only a block's head and the
 * cursor's line must find what parsing everything before the cursor finds.
 */

const rulesOf = (text: string) => openRulesAtEnd(lex(text).tokens, text.length);
const names = (rules: readonly OpenRule[]) => rules.map((r) => r.rule);

describe("rules open where the input stops", () => {
  it("are the rightmost path down to a half-typed argument, outermost first", () => {
    const text = "model m(d.input) {\n  h = dense(12, act";
    const rules = rulesOf(text.slice(0, -3));
    expect(names(rules)).toEqual(["spec", "block", "modelBlock", "body", "statementLine", "statement", "callStatement", "callExpr", "arg"]);
    const arg = rules[rules.length - 1]!;
    // The second argument, still empty; its call holds the first.
    expect(arg.index).toBe(1);
    expect(arg.span).toBeUndefined();
    expect(rules[rules.length - 2]!.node).toMatchObject({ kind: "Call", callee: { name: "dense" }, args: [{ value: { value: 12 } }, { value: undefined }] });
  });

  it("end at the statement's line once its call is closed", () => {
    const rules = rulesOf("model m(d.input) {\n  h = dense(12) ");
    expect(names(rules).at(-1)).toBe("statementLine");
    expect(rules.at(-1)!.node).toMatchObject({ kind: "CallStatement", name: { name: "h" }, clauses: [] });
  });

  it("hold a dotted reference cut at its dot", () => {
    const rules = rulesOf("regularize m {\n  l2(1e-4) on h1.");
    expect(names(rules).slice(-3)).toEqual(["clause", "expr", "ref"]);
    expect(rules.at(-1)!.node).toMatchObject({ kind: "Ref", segments: [{ name: "h1" }] });
  });

  it("are none where the text parses whole, or a block closed before the cursor", () => {
    for (const { text } of contractExamples()) expect(rulesOf(text)).toEqual([]);
    expect(rulesOf("data d {\n  source mnist\n}\n")).toEqual([]);
    expect(rulesOf("data d {\n  source mnist, }")).toEqual([]);
  });

  it("are found alike from a block's head and the cursor's line as from all the text before the cursor", () => {
    const random = seededRandom(15);
    const texts = contractExamples().map((e) => e.text);
    const edits = ["", "(", ")", ",", ":", "=", "\n", " x", "dense(", " on ", ".", '"', "[", "//", "{", "}"];
    for (let n = 0; n < 1000; n++) {
      let text = pick(random, texts);
      const at = Math.floor(random() * text.length);
      text = text.slice(0, at) + pick(random, edits) + text.slice(at + Math.floor(random() * 4));
      const cursor = Math.floor(random() * text.length);
      // The text of the cursor's block up to the cursor: what the server parses.
      const before = text.slice(chunkAround(text, cursor).start, cursor);
      const { tokens } = lex(before);
      expect(shape(openRulesBefore(tokens, before.length)), before).toEqual(shape(openRulesAtEnd(tokens, before.length)));
    }
  });
});

/** What a reader of the open rules sees, less the statements a block's body lists (it lists fewer when lines are left out). */
function shape(rules: readonly OpenRule[]): unknown[] {
  return rules.map(({ rule, depth, span, index, node }) => (BODY_HOLDERS.has(rule) ? { rule, depth, span } : { rule, depth, span, index, node }));
}

const BODY_HOLDERS = new Set(["spec", "block", "dataBlock", "modelBlock", "trainBlock", "regularizeBlock", "tuneBlock", "body", "statementLine"]);
