import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { ISerializedGast } from "chevrotain";
import oniguruma from "vscode-oniguruma";
import textmate, { type IGrammar, type StateStack } from "vscode-textmate";
import { beforeAll, describe, expect, it } from "vitest";
import { RAILROAD_PATH, railroadHtml } from "../scripts/generate-grammar.js";
import { allTokens, Ident, Name } from "../src/compiler/syntax/lexer.js";
import { serializedGrammar } from "../src/compiler/syntax/parser.js";
import { contractExamples, EXAMPLES_DIR } from "./support/examples.js";

const GRAMMAR_DIR = join(import.meta.dirname, "..", "grammar");

describe("railroad diagram", () => {
  it("is the committed grammar/railroad.html", () => {
    const committed = readFileSync(RAILROAD_PATH, "utf8");
    expect(committed === railroadHtml(), "grammar/railroad.html is stale: run `npm run grammar`").toBe(true);
  });

  it("loads nothing from the network", () => {
    expect(railroadHtml()).not.toMatch(/<(?:script|link)[^>]*(?:src|href)=/);
  });
});

describe("reg.ebnf", () => {
  const rules = ebnfRules(readFileSync(join(GRAMMAR_DIR, "reg.ebnf"), "utf8"));
  const parserRules = serializedGrammar() as Array<Production & { name: string }>;

  it("has the parser's rules, with the parser's names, in its order", () => {
    const syntaxRules = [...rules.keys()].filter((name) => /^[a-z]/.test(name));
    expect(syntaxRules).toEqual(parserRules.map((rule) => rule.name));
  });

  it.each(parserRules.map((rule) => [rule.name, rule] as const))("defines %s as the parser does", (name, rule) => {
    const written = (rules.get(name) ?? []).filter((token, i, all) => token !== "&" && all[i - 1] !== "&");
    expect(written.join(" ")).toBe(ebnfTokens(renderProductions(rule.definition, true)).join(" "));
  });

  it("defines every rule it uses", () => {
    const used = [...rules.values()].flat().filter((token) => /^[A-Za-z]/.test(token));
    expect(used.filter((name) => !rules.has(name))).toEqual([]);
  });

  it("lists the lexer's keywords", () => {
    const keywords = allTokens
      .filter((token) => token !== Ident && token.CATEGORIES?.includes(Name))
      .map((token) => token.PATTERN);
    const written = (rules.get("KEYWORD") ?? []).filter((token) => token.startsWith('"')).map((token) => token.slice(1, -1));
    expect(written.sort()).toEqual(keywords.sort());
  });
});

describe("reg.tmLanguage.json", () => {
  let grammar: IGrammar;
  beforeAll(async () => {
    grammar = await loadTextMateGrammar();
  });

  const examples = Object.fromEntries(contractExamples().map((example) => [example.name[0]!, example.text]));
  const a = examples["a"]!;
  const b = examples["b"]!;
  const d = examples["d"]!;
  const tuning = readFileSync(join(EXAMPLES_DIR, "tuning", "a-dropout-maxnorm.reg"), "utf8");

  it.each(contractExamples().map((example) => [example.name, example.text] as const))(
    "tokenizes %s with every block closed and no illegal character",
    (_, text) => {
      const { tokens, endState } = tokenize(grammar, text);
      expect(tokens.filter((token) => token.scopes.some((scope) => scope.startsWith("invalid")))).toEqual([]);
      expect(endState.depth).toBe(1);
    },
  );

  it.each([
    ["block keyword", a, "data digits", "data", "keyword.control"],
    ["data block name", a, "data digits", "digits", "entity.name.type.data"],
    ["model block name", a, "model mlp(", "mlp", "entity.name.type.model"],
    ["task name", a, "task digit", "digit", "entity.name.type.task"],
    ["model named by regularize", a, "regularize mlp", "mlp", "entity.name.type.model"],
    ["line comment", a, "// 1,000 real", "1,000 real", "comment.line.double-slash"],
    ["number", a, "dropout(0.5)", "0.5", "constant.numeric"],
    ["exponent", a, "l2(1e-5)", "1e-5", "constant.numeric"],
    ["boolean", a, "restore_best: true", "true", "constant.language.boolean"],
    ["argument name", a, "early_stop(monitor: val_loss", "monitor", "variable.parameter"],
    ["split name", a, "split  train: 1000", "train", "variable.parameter"],
    ["call name", a, "h1  = dense(", "dense", "support.function"],
    ["layer name", a, "h1  = dense(", "h1", "entity.name.variable"],
    ["setting", a, "epochs    60", "epochs", "support.type.property-name"],
    ["clause keyword", a, "maxnorm(3) on h1", "on", "keyword.other.clause"],
    ["glob", a, "on *.kernel", "*", "keyword.operator.glob"],
    ["parameter after a glob", a, "on *.kernel", "kernel", "variable.other.property"],
    ["number before a unit", b, "rotate: 10deg", "10", "constant.numeric"],
    ["unit", b, "rotate: 10deg", "deg", "keyword.other.unit"],
    ["unit inside the number", b, "rotate: 10deg", "deg", "constant.numeric"],
    ["list bracket", b, "scale: [0.9", "[", "punctuation.section.brackets.begin"],
    ["along", b, ") along rotate", "along", "keyword.other.clause"],
    ["string", d, 'json("vega-datasets/data/cars.json")', '"vega-datasets/data/cars.json"', "string.quoted.double"],
    ["from", d, "dense(1) from t2", "from", "keyword.other.clause"],
    ["tune block keyword", tuning, "tune {", "tune", "keyword.control.block.tune"],
    ["search space", tuning, "dropout(uniform(", "uniform", "support.function.search-space"],
    ["search space of words", tuning, "maxnorm(choice(", "choice", "support.function.search-space"],
    ["tune setting", tuning, "objective maximize", "objective", "support.type.property-name"],
  ])("scopes the %s", (_, text, context, target, scope) => {
    expect(scopesAt(grammar, text, context, target)).toContainEqual(expect.stringMatching(scopePrefix(scope)));
  });

  it("scopes a block comment, string escapes, a negative number and an illegal character", () => {
    const text = 'train {\n  /* two\n  lines */ seed -3\n  name "a \\"b\\""\n  x @\n}\n';
    expect(scopesAt(grammar, text, "/* two", "two")).toContainEqual("comment.block.reg");
    expect(scopesAt(grammar, text, "lines */", "lines")).toContainEqual("comment.block.reg");
    expect(scopesAt(grammar, text, "-3", "-")).toContainEqual("keyword.operator.arithmetic.reg");
    expect(scopesAt(grammar, text, '\\"b', '\\"')).toContainEqual("constant.character.escape.reg");
    expect(scopesAt(grammar, text, "@", "@")).toContainEqual("invalid.illegal.character.reg");
  });

  it("treats a keyword used as a name as a name", () => {
    const text = "data d {\n  split train: 1, data: 2\n}\nregularize m {\n  vat(eps: 1) using data\n}\n";
    expect(scopesAt(grammar, text, "data: 2", "data")).toContainEqual("variable.parameter.reg");
    expect(scopesAt(grammar, text, "using data", "data")).toContainEqual("variable.other.reg");
  });

  it("tokenizes the error examples without failing", () => {
    for (const file of ["REG0003-unterminated-string.reg", "REG0004-unterminated-comment.reg"]) {
      expect(() => tokenize(grammar, readFileSync(join(EXAMPLES_DIR, "errors", file), "utf8"))).not.toThrow();
    }
  });
});

// ---- EBNF -------------------------------------------------------------------

/** Rules of the EBNF file, by name, as the tokens of their right-hand sides. */
function ebnfRules(text: string): Map<string, string[]> {
  const tokens = ebnfTokens(text);
  const rules = new Map<string, string[]>();
  for (let at = 0; at < tokens.length; ) {
    const name = tokens[at]!;
    const end = tokens.indexOf(";", at);
    if (tokens[at + 1] !== "=" || end < 0) throw new Error(`reg.ebnf: malformed rule at \`${name}\``);
    if (rules.has(name)) throw new Error(`reg.ebnf: \`${name}\` is defined twice`);
    rules.set(name, tokens.slice(at + 2, end));
    at = end + 1;
  }
  return rules;
}

const EBNF_TOKEN = /\s+|"[^"]*"|'[^']*'|\?[^?]*\?|[A-Za-z_][A-Za-z0-9_]*|\.\.|[=;|()[\]{}&-]/y;

/** Tokens of EBNF text; comments, which nest, are dropped. */
function ebnfTokens(text: string): string[] {
  const tokens: string[] = [];
  let at = 0;
  while (at < text.length) {
    if (text.startsWith("(*", at)) {
      at = afterComment(text, at);
      continue;
    }
    EBNF_TOKEN.lastIndex = at;
    const match = EBNF_TOKEN.exec(text);
    if (!match) throw new Error(`reg.ebnf: unexpected \`${text.slice(at, at + 20)}\``);
    if (match[0].trim()) tokens.push(match[0]);
    at = EBNF_TOKEN.lastIndex;
  }
  return tokens;
}

function afterComment(text: string, start: number): number {
  let depth = 0;
  let at = start;
  while (at < text.length) {
    if (text.startsWith("(*", at)) {
      depth++;
      at += 2;
    } else if (text.startsWith("*)", at)) {
      depth--;
      at += 2;
      if (depth === 0) return at;
    } else {
      at++;
    }
  }
  throw new Error("reg.ebnf: a comment is never closed");
}

type Production = ISerializedGast & { name?: string; pattern?: string };

const TOKEN_RULES: Record<string, string> = { Name: "NAME", Number: "NUMBER", String: "STRING", Newline: "NEWLINE" };

/** The parser's productions in the EBNF's notation; an alternation alone in its brackets needs no parentheses. */
function renderProductions(items: Production[] = [], bracketed: boolean): string {
  const only = items.length === 1 ? items[0]! : undefined;
  if (bracketed && only?.type === "Alternation") return renderAlternatives(only);
  return items.map(renderProduction).join(" ");
}

function renderProduction(item: Production): string {
  switch (item.type) {
    case "Terminal":
      return TOKEN_RULES[item.name!] ?? JSON.stringify(item.pattern);
    case "NonTerminal":
      return item.name!;
    case "Option":
      return `[ ${renderProductions(item.definition, true)} ]`;
    case "Repetition":
      return `{ ${renderProductions(item.definition, true)} }`;
    case "Alternation":
      return `( ${renderAlternatives(item)} )`;
    default:
      throw new Error(`no EBNF form for a ${item.type} yet`);
  }
}

function renderAlternatives(alternation: Production): string {
  return (alternation.definition ?? []).map((alternative) => renderProductions(alternative.definition, false)).join(" | ");
}

// ---- TextMate -----------------------------------------------------------------

async function loadTextMateGrammar(): Promise<IGrammar> {
  const wasm = readFileSync(createRequire(import.meta.url).resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm);
  const path = join(GRAMMAR_DIR, "reg.tmLanguage.json");
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (text) => new oniguruma.OnigString(text),
    }),
    loadGrammar: async (scopeName) =>
      scopeName === "source.reg" ? textmate.parseRawGrammar(readFileSync(path, "utf8"), path) : null,
  });
  const grammar = await registry.loadGrammar("source.reg");
  if (!grammar) throw new Error("source.reg did not load");
  return grammar;
}

interface ScopedToken {
  offset: number;
  text: string;
  scopes: string[];
}

function tokenize(grammar: IGrammar, text: string): { tokens: ScopedToken[]; endState: StateStack } {
  const tokens: ScopedToken[] = [];
  let state = textmate.INITIAL;
  let lineStart = 0;
  for (const line of text.split("\n")) {
    const result = grammar.tokenizeLine(line, state);
    for (const token of result.tokens) {
      const end = Math.min(token.endIndex, line.length);
      tokens.push({ offset: lineStart + token.startIndex, text: line.slice(token.startIndex, end), scopes: token.scopes });
    }
    state = result.ruleStack;
    lineStart += line.length + 1;
  }
  return { tokens, endState: state };
}

/** Scopes of the token under `target`, found inside the first `context` in `text`. */
function scopesAt(grammar: IGrammar, text: string, context: string, target: string): string[] {
  const contextAt = text.indexOf(context);
  const targetAt = contextAt + context.indexOf(target);
  if (contextAt < 0 || targetAt < contextAt) throw new Error(`\`${target}\` in \`${context}\` is not in the text`);
  const token = tokenize(grammar, text).tokens.find((t) => t.offset <= targetAt && targetAt < t.offset + t.text.length);
  return token?.scopes ?? [];
}

function scopePrefix(scope: string): RegExp {
  return new RegExp(`^${scope.replace(/\./g, "\\.")}(?:\\.|$)`);
}
