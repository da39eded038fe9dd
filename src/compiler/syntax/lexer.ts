import { createToken, Lexer, tokenMatcher, type IToken, type TokenType } from "chevrotain";

/**
 * Tokens of the `.reg` language. Keywords belong to the `Name` category so
 * they can still be used where any word is allowed (`split train: 1000`).
 */

export const Name = createToken({ name: "Name", pattern: Lexer.NA });

/** Identifiers; `*` makes a glob (`*.kernel`, `conv*`). */
export const Ident = createToken({
  name: "Ident",
  pattern: /[A-Za-z_*][A-Za-z0-9_*]*/,
  categories: [Name],
});

function keyword(word: string, categories: TokenType[] = [Name]): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    // A string, not a RegExp: the lexer then reads its first character instead of parsing a regular expression at start-up.
    pattern: word,
    longer_alt: Ident,
    categories,
  });
}

export const Data = keyword("data");
export const Model = keyword("model");
export const Task = keyword("task");
export const Train = keyword("train");
export const Regularize = keyword("regularize");
export const Tune = keyword("tune");
export const On = keyword("on");
export const Using = keyword("using");
export const Along = keyword("along");
export const From = keyword("from");
export const After = keyword("after");
export const True = keyword("true", []);
export const False = keyword("false", []);

export const BLOCK_KEYWORDS = [Data, Model, Task, Train, Regularize, Tune];
/** The words that start a block. */
export const BLOCK_WORDS: readonly string[] = BLOCK_KEYWORDS.map((keyword) => keyword.PATTERN as string);
export const CLAUSE_TOKENS = [On, Using, Along, From, After];

/** A number with an optional unit suffix: `3`, `0.5`, `1e-4`, `15deg`, `10%`. */
export const NumberTok = createToken({
  name: "Number",
  // A unit is letters; digits after them keep `0x10` and `3_000` one token, which the checker reads as another notation.
  pattern: /(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?(?:%|[A-Za-z_][A-Za-z0-9_]*)?/,
});

/** A double-quoted string; an unterminated one runs to the end of its line. */
export const StringTok = createToken({ name: "String", pattern: /"(?:[^"\\\r\n]|\\.)*"?/ });

export const LineComment = createToken({
  name: "LineComment",
  pattern: /\/\/[^\r\n]*/,
  group: "comments",
});
export const BlockComment = createToken({
  name: "BlockComment",
  pattern: /\/\*[\s\S]*?\*\//,
  group: "comments",
  line_breaks: true,
});
/** A block comment never closed runs to the end of the file. */
export const UnclosedBlockComment = createToken({
  name: "UnclosedBlockComment",
  pattern: /\/\*[\s\S]*/,
  group: "comments",
  line_breaks: true,
});

export const Newline = createToken({ name: "Newline", pattern: /\r\n|\r|\n/, line_breaks: true });
export const Whitespace = createToken({ name: "Whitespace", pattern: /[ \t\f\v\u00a0\ufeff]+/, group: Lexer.SKIPPED });

export const LCurly = createToken({ name: "LCurly", pattern: "{" });
export const RCurly = createToken({ name: "RCurly", pattern: "}" });
export const LParen = createToken({ name: "LParen", pattern: "(" });
export const RParen = createToken({ name: "RParen", pattern: ")" });
export const LBracket = createToken({ name: "LBracket", pattern: "[" });
export const RBracket = createToken({ name: "RBracket", pattern: "]" });
export const Comma = createToken({ name: "Comma", pattern: "," });
export const Colon = createToken({ name: "Colon", pattern: ":" });
export const Equals = createToken({ name: "Equals", pattern: "=" });
export const Dot = createToken({ name: "Dot", pattern: "." });
export const Minus = createToken({ name: "Minus", pattern: "-" });

export const allTokens: TokenType[] = [
  Whitespace,
  Newline,
  LineComment,
  BlockComment,
  UnclosedBlockComment,
  Data,
  Model,
  Task,
  Train,
  Regularize,
  Tune,
  On,
  Using,
  Along,
  From,
  After,
  True,
  False,
  Ident,
  Name,
  NumberTok,
  StringTok,
  LCurly,
  RCurly,
  LParen,
  RParen,
  LBracket,
  RBracket,
  Comma,
  Colon,
  Equals,
  Dot,
  Minus,
];

const lexer = new Lexer(allTokens, {
  ensureOptimizations: true,
  // Set in the bundle, as for the parser: the tests check the token definitions, not every start.
  skipValidations: process.env["REGLANG_TRUSTED_GRAMMAR"] === "1",
  // Spans are offsets: lines and columns come from LineIndex when a message is shown.
  positionTracking: "onlyOffset",
});

export interface LexError {
  offset: number;
  length: number;
  text: string;
}

export interface LexResult {
  tokens: IToken[];
  comments: IToken[];
  errors: LexError[];
}

/** Tokens after which a line break never ends a statement. */
const CONTINUES_LINE = new Set<TokenType>([LParen, LBracket, Comma, Colon, Equals, Dot]);
/** Tokens before which a line break never ends a statement: a clause may start a line. */
const CONTINUES_FROM_PREVIOUS = new Set<TokenType>([RParen, RBracket, Comma, Dot, ...CLAUSE_TOKENS]);

/**
 * Where a token ends: after its image, or, for a word read whole across a
 * stray character (see stray-character.ts), whose image leaves the
 * character out, after its `endOffset`.
 */
export function tokenEnd(token: IToken): number {
  return token.endOffset === undefined ? token.startOffset + token.image.length : token.endOffset + 1;
}

/** The one token `word` reads as; undefined where it reads as several, or with an error. */
export function soleToken(word: string): IToken | undefined {
  const { tokens, errors } = lexer.tokenize(word);
  return tokens.length === 1 && errors.length === 0 ? tokens[0] : undefined;
}

export function lex(text: string): LexResult {
  const result = lexer.tokenize(text);
  return {
    tokens: significantNewlines(result.tokens, text),
    comments: result.groups["comments"] ?? [],
    errors: result.errors.map((e) => ({
      offset: e.offset,
      length: e.length,
      text: text.slice(e.offset, e.offset + e.length),
    })),
  };
}

/**
 * Whether a text's first token may continue the line before it, or its
 * last token the line after it: then the line breaks around it may not end
 * the statements there.
 */
export function joinsNeighbouringLines(text: string): boolean {
  const tokens = lexer.tokenize(text).tokens.filter((t) => t.tokenType !== Newline);
  const first = tokens[0];
  const last = tokens[tokens.length - 1];
  return (first !== undefined && CONTINUES_FROM_PREVIOUS.has(first.tokenType)) || (last !== undefined && CONTINUES_LINE.has(last.tokenType));
}

/**
 * Newlines end statements, except next to a token that cannot end or begin
 * one (so a call may be split over lines). Runs of newlines collapse to one.
 * A statement that leaves a bracket open at the end of a line still ends
 * there where the next line reads as a statement of its own (see
 * `startsStatement`): `flatten(`, then `h1 = dense(64)`, is one error, a
 * `)` missing, rather than a call that runs on into the next line.
 */
function significantNewlines(tokens: IToken[], text: string): IToken[] {
  const out: IToken[] = [];
  /** The brackets the statement holds open, and the first of them. */
  let depth = 0;
  let opener: IToken | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const type = token.tokenType;
    if (type !== Newline) {
      if (type === LParen || type === LBracket) {
        if (depth++ === 0) opener = token;
      } else if (type === RParen || type === RBracket) depth = Math.max(0, depth - 1);
      else if (type === LCurly || type === RCurly) depth = 0;
      out.push(token);
      continue;
    }
    const previous = out[out.length - 1];
    if (!previous || previous.tokenType === Newline) continue;
    let j = i + 1;
    while (j < tokens.length && tokens[j]!.tokenType === Newline) j++;
    const next = tokens[j];
    if (next && CONTINUES_FROM_PREVIOUS.has(next.tokenType)) continue;
    if (CONTINUES_LINE.has(previous.tokenType) && !(depth > 0 && next && startsStatement(text, next, tokens[j + 1], opener!))) continue;
    depth = 0;
    out.push(token);
  }
  return out;
}

/**
 * Whether a line that starts with `first`, `second`, inside the brackets
 * `opener` opened on an earlier line, reads as a statement of its own: a
 * block's `}`, or, no deeper than the line `opener` stands on, a name and
 * then `=` or a value (`h1 = dense(64)`, `epochs 30`). None of these can
 * continue a call, so no valid spec reads otherwise: indentation only
 * tells a forgotten `)` (the line no deeper) from a mistake on a line that
 * continues the call (`rotate 10deg` for `rotate: 10deg`). A call
 * (`dropout(0.5)`) is not one: it may be an argument.
 */
function startsStatement(text: string, first: IToken, second: IToken | undefined, opener: IToken): boolean {
  if (first.tokenType === RCurly) return true;
  if (!tokenMatcher(first, Name) || second === undefined || indentation(text, first.startOffset) > indentation(text, opener.startOffset)) return false;
  return second.tokenType === Equals || tokenMatcher(second, Name) || STARTS_VALUE.has(second.tokenType);
}

/** Tokens that start a value, besides a name. */
const STARTS_VALUE = new Set<TokenType>([NumberTok, StringTok, True, False, Minus, LBracket]);

/** The width of the spaces and tabs that start the line holding `offset`. */
function indentation(text: string, offset: number): number {
  let lineStart = offset;
  while (lineStart > 0 && text[lineStart - 1] !== "\n" && text[lineStart - 1] !== "\r") lineStart--;
  let end = lineStart;
  while (text[end] === " " || text[end] === "\t") end++;
  return end - lineStart;
}
