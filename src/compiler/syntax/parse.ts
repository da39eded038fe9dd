import { tokenMatcher, type IRecognitionException, type IToken } from "chevrotain";
import type { Comment, SpecFile, UnknownBlock } from "./ast.js";
import { chunkStarts } from "./chunks.js";
import { BLOCK_WORDS, LCurly, lex, LBracket, LParen, Name, Newline, RBracket, RCurly, RParen, StringTok, tokenEnd, type LexResult } from "./lexer.js";
import { parseTokens, type SkippedBlock } from "./parser.js";
import { span, type Span } from "./span.js";
import { reparsedBlock, type ChunkParser } from "./reparse.js";
import { shiftedNode, shiftedValue } from "./shift.js";
import { isLookAlike, lookAlikeQuotePairs, strayCharacterHint, withAsciiTwins, wordsReadWhole } from "./stray-character.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { DiagnosticSink, type ReportExtras } from "../diagnostics/report.js";
import { didYouMean } from "../checker/suggest.js";

export interface ParseResult {
  ast: SpecFile;
  diagnostics: Diagnostic[];
}

/**
 * Parsed chunks by their text, so re-parsing after an edit redoes only the
 * blocks it touched, and of a block edited inside its body only the
 * statements on the edited lines. The language server keeps one per document. It holds
 * the chunks of the last version parsed and no more: edits keep making new
 * chunk texts, and older ones would pile up for as long as the document is open.
 */
export class ChunkCache {
  private entries = new Map<string, { start: number; result: ParseResult }>();
  /** The chunks of the version being parsed: they replace `entries` when it is done. */
  private current = new Map<string, { start: number; result: ParseResult }>();

  /**
   * The chunk's parse at `start`. A chunk that has not moved is returned as
   * it was (trees are never mutated, so versions may share it); one that
   * moved is copied to its new offsets.
   */
  get(text: string, start: number, isLast: boolean): ParseResult {
    const key = chunkKey(text, isLast);
    const cached = this.current.get(key) ?? this.entries.get(key);
    if (cached?.start === start) {
      this.current.set(key, cached);
      return cached.result;
    }
    const result = (cached && shiftedResult(cached.result, cached.start, start)) ?? this.reparsed(text, start, isLast) ?? parseChunk(text, start, isLast);
    this.current.set(key, { start, result });
    return result;
  }

  /** Whether the chunk was parsed before, at any offset: `get` would not parse it again. */
  has(text: string, isLast: boolean): boolean {
    const key = chunkKey(text, isLast);
    return this.current.has(key) || this.entries.has(key);
  }

  /** Ends a version: only its chunks are kept. */
  versionDone(): void {
    this.entries = this.current;
    this.current = new Map();
  }

  /**
   * The parse of a block edited inside its body, from the earlier version's
   * parse of the block that starts with the same line (see reparse.ts);
   * undefined where there is none, or the block must be parsed whole.
   */
  private reparsed(text: string, start: number, isLast: boolean): ParseResult | undefined {
    const header = text.slice(0, text.indexOf("\n") + 1);
    if (!header) return undefined;
    for (const [key, earlier] of this.entries) {
      const earlierText = key.slice(key.indexOf("\u0000") + 1);
      if (key !== chunkKey(earlierText, isLast) || !earlierText.startsWith(header)) continue;
      const result = reparsedBlock({ text: earlierText, ...earlier }, text, start, chunkParser(isLast, start));
      if (result) return result;
    }
    return undefined;
  }
}

/** The parser as reparse.ts uses it, for a chunk at `start`. */
function chunkParser(isLast: boolean, start: number): ChunkParser {
  return {
    parse: (text) => parseChunk(text, start, isLast),
    move: (value, from, delta) => {
      if (delta === 0) return value;
      const move = { delta, from, stray: false };
      const moved = shiftedNode(value, move);
      return move.stray ? undefined : moved;
    },
  };
}

function chunkKey(text: string, isLast: boolean): string {
  return `${isLast ? "last" : "inner"}\u0000${text}`;
}

/**
 * Text in, AST with holes and syntax diagnostics out. Never throws on user
 * text. Each top-level block is parsed on its own (see chunks.ts); `cache`
 * reuses the chunks an earlier version already parsed. With `skipNew`, a
 * chunk the cache lacks and `skipNew` accepts is left out of the tree: a
 * reader that needs only some blocks parses only those.
 */
export function parse(text: string, cache?: ChunkCache, skipNew?: (chunk: string) => boolean): ParseResult {
  const starts = chunkStarts(text);
  const blocks: SpecFile["blocks"] = [];
  const unknownBlocks: SpecFile["unknownBlocks"] = [];
  const comments: SpecFile["comments"] = [];
  const diagnostics: Diagnostic[] = [];
  starts.forEach((start, i) => {
    const end = starts[i + 1] ?? text.length;
    const isLast = i === starts.length - 1;
    const chunk = text.slice(start, end);
    const trivia = triviaStart(chunk);
    if (skipNew && !cache?.has(chunk.slice(0, trivia), isLast) && skipNew(chunk)) return;
    for (const result of chunkParses(chunk, start, isLast, trivia, cache)) {
      blocks.push(...result.ast.blocks);
      unknownBlocks.push(...result.ast.unknownBlocks);
      comments.push(...result.ast.comments);
      diagnostics.push(...result.diagnostics);
    }
  });
  cache?.versionDone();
  return { ast: { kind: "SpecFile", blocks, unknownBlocks, comments, span: span(0, text.length) }, diagnostics };
}

/**
 * A chunk's parse: its block, then the comment and blank lines after it
 * (from `trivia` on) parsed apart, so typing there leaves the block's parse,
 * and what was checked of it, as it was. Apart only where the block parses
 * without an error: then those lines add nothing but comments, while an
 * unclosed block runs on through them to where its error is reported.
 */
function chunkParses(chunk: string, start: number, isLast: boolean, trivia: number, cache: ChunkCache | undefined): ParseResult[] {
  const parsed = (text: string, at: number) => (cache ? cache.get(text, at, isLast) : parseChunk(text, at, isLast));
  if (trivia > 0 && trivia < chunk.length) {
    const block = parsed(chunk.slice(0, trivia), start);
    if (block.diagnostics.length === 0) return [block, parsed(chunk.slice(trivia), start + trivia)];
  }
  return [parsed(chunk, start)];
}

/** Where the blank and `//` comment lines that end a chunk begin; the chunk's length when none do. */
function triviaStart(chunk: string): number {
  let cut = chunk.length;
  while (cut > 0) {
    // The line that ends at `cut`, its newline included: it starts after the newline before that one.
    const lineStart = cut < 2 ? 0 : chunk.lastIndexOf("\n", cut - 2) + 1;
    const line = chunk.slice(lineStart, cut).trim();
    if (line !== "" && !line.startsWith("//")) break;
    cut = lineStart;
  }
  return cut;
}

/**
 * A chunk's parse moved from offset `from` to `to`, or undefined when it
 * cannot be moved: where recovery left a hole with no token to stand on,
 * the parser places it at the file's start, before the chunk, and a parse
 * at the new offset would place it there again, not moved with the chunk.
 */
function shiftedResult(result: ParseResult, from: number, to: number): ParseResult | undefined {
  if (from === to) return result;
  const move = { delta: to - from, from, stray: false };
  const { ast, diagnostics } = result;
  const moved: ParseResult = {
    ast: { ...ast, blocks: ast.blocks.map((b) => shiftedNode(b, move)), unknownBlocks: shiftedValue(ast.unknownBlocks, move), comments: ast.comments.map((c) => shiftedNode(c, move)), span: span(0, ast.span.end + move.delta) },
    diagnostics: shiftedValue(diagnostics, move),
  };
  return move.stray ? undefined : moved;
}

/** Parses the whole text as one chunk, as `parse` would without block boundaries. */
export function parseWhole(text: string): ParseResult {
  return parseChunk(text, 0, true);
}

/**
 * Parses the chunk that starts at `base` in the file, with the file's
 * offsets: its tokens are moved to where they stand before anything reads
 * them. The last chunk ends the file; the others end where a block begins.
 */
function parseChunk(text: string, base: number, isLast: boolean): ParseResult {
  const sink = new DiagnosticSink();
  const lexed = lexReadingPastStrays(text);
  for (const t of lexed.comments) moveToken(t, base);
  const quotePairs = lookAlikeQuotePairs(lexed.errors, lexed.tokens);
  for (const error of lexed.errors) {
    const at = span(base + error.offset, base + error.offset + error.length);
    const partner = quotePairs.get(error.offset);
    sink.report("REG0002", at, { text: error.text.slice(0, 20) }, strayCharacterHint(error.text, at, partner === undefined ? undefined : span(base + partner, base + partner + 1)));
  }
  for (const t of lexed.tokens) {
    moveToken(t, base);
    if (t.tokenType === StringTok && !CLOSED_STRING.test(t.image)) sink.report("REG0003", span(t.startOffset, t.startOffset + t.image.length));
  }
  const end = base + text.length;
  const { blocks, errors, skippedBlocks } = parseTokens(limitNesting(lexed.tokens, sink), end);
  const unknownBlocks = skippedBlocks.flatMap((skipped) => reportSkippedBlock(skipped, sink, isLast) ?? []);
  // Report only the first error per statement position: recovery can cascade.
  const seen = new Set<number>();
  const blockKeyword = lexed.tokens.find((t) => t.tokenType !== Newline)?.image;
  for (const error of errors) {
    const at = errorSpan(error.token, end);
    if (seen.has(at.start)) continue;
    seen.add(at.start);
    sink.report("REG0001", at, { detail: describeSyntaxError(error, isLast ? "the end of the file" : "the next block") }, { ...colonAfterFirstWord(text, at, base, blockKeyword), ...braceOnNextLine(text, at, base), ...unclosedBrace(error, lexed.tokens), ...unclosedBrackets(error, lexed.tokens) });
  }
  const comments = lexed.comments.map((t) => comment(t, sink));
  return { ast: { kind: "SpecFile", blocks, unknownBlocks, comments, span: span(0, end) }, diagnostics: sink.items };
}

/**
 * A block the parser skipped for what starts it, reported: one of a block's
 * shape that starts with a word, with the keyword meant where one is near
 * (`dta` for `data`), is a block of an unknown kind; anything else (a `{`
 * with no keyword, a statement outside any block) a syntax error.
 */
function reportSkippedBlock({ first, name, last, blockShaped }: SkippedBlock, sink: DiagnosticSink, isLast: boolean): UnknownBlock | undefined {
  const at = tokenSpan(first);
  const word = tokenMatcher(first, Name);
  if (!word || !blockShaped) {
    const detail = `unexpected ${describeToken(first, isLast ? "the end of the file" : "the next block")} at top level: expected ${A_BLOCK}`;
    sink.report("REG0001", at, { detail }, word ? { hint: "this line reads as a statement outside any block: a statement goes inside its block's `{ … }`" } : {});
    return undefined;
  }
  sink.report("REG0006", at, { name: first.image }, didYouMean(first.image, at, BLOCK_WORDS));
  return {
    kind: "UnknownBlock",
    keyword: { kind: "Identifier", name: first.image, span: at },
    name: name && { kind: "Identifier", name: name.image, span: tokenSpan(name) },
    span: span(at.start, tokenEnd(last)),
  };
}

function tokenSpan(token: IToken): Span {
  return span(token.startOffset, tokenEnd(token));
}

/**
 * The chunk's tokens, each look-alike of an ASCII character read as that
 * character and each word split by stray characters read whole (see
 * stray-character.ts), with an error for each look-alike and the errors of
 * the text so read: a `/` between curly quotes is part of the string they
 * stand for, not a stray character of its own.
 */
function lexReadingPastStrays(text: string): LexResult {
  const lexed = lex(text);
  if (lexed.errors.length === 0) return lexed;
  const twins = withAsciiTwins(text, lexed.errors);
  const read = twins === undefined ? lexed : lex(twins);
  const lookAlikes = twins === undefined ? [] : lexed.errors.filter((error) => isLookAlike(error.text));
  return { ...read, tokens: wordsReadWhole(read.tokens, read.errors), errors: [...lookAlikes, ...read.errors].sort((a, b) => a.offset - b.offset) };
}

function comment(t: IToken, sink: DiagnosticSink): Comment {
  if (t.tokenType.name === "UnclosedBlockComment") sink.report("REG0004", span(t.startOffset, t.startOffset + 2));
  return {
    kind: "Comment",
    text: t.image,
    style: t.image.startsWith("//") ? "line" : "block",
    span: span(t.startOffset, t.startOffset + t.image.length),
  };
}

const CLOSED_STRING = /^"(?:[^"\\\r\n]|\\.)*"$/;

function moveToken(token: IToken, delta: number): void {
  token.startOffset += delta;
  if (token.endOffset !== undefined) token.endOffset += delta;
}

/** Deeper than any real spec nests; the recursive-descent parser must not recurse without bound. */
export const MAX_NESTING = 32;

/**
 * Reports brackets nested deeper than MAX_NESTING and leaves out what they
 * enclose, so pathological input yields a diagnostic instead of a stack
 * overflow anywhere downstream.
 */
export function limitNesting(tokens: IToken[], sink: DiagnosticSink): IToken[] {
  let depth = 0;
  let skipping = 0;
  const kept: IToken[] = [];
  for (const t of tokens) {
    const type = t.tokenType;
    const opens = type === LParen || type === LBracket;
    const closes = type === RParen || type === RBracket;
    const endsStatement = type === Newline || type === RCurly;
    if (skipping > 0) {
      if (opens) skipping++;
      else if (closes) skipping--;
      // A statement ends where its line does, even if its brackets never close.
      else if (endsStatement) skipping = 0;
      if (skipping > 0) continue;
      if (!endsStatement) continue;
    }
    if (opens) {
      if (depth === MAX_NESTING) {
        sink.report("REG0005", span(t.startOffset, t.startOffset + t.image.length), { max: MAX_NESTING });
        skipping = 1;
        continue;
      }
      depth++;
    } else if (closes) depth = Math.max(0, depth - 1);
    else if (endsStatement) depth = 0;
    kept.push(t);
  }
  return kept;
}

/**
 * A `:` after the first word of a line, as YAML and Keras's keyword
 * arguments write `epochs: 10` or `h: dense(64)`: how the block it is in
 * writes a setting, or names a layer, with the fix.
 */
function colonAfterFirstWord(text: string, colon: Span, base: number, blockKeyword: string | undefined): ReportExtras {
  const offset = colon.start - base;
  if (text[offset] !== ":") return {};
  const lineStart = text.slice(0, offset).search(/[^\r\n]*$/);
  const word = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*$/.exec(text.slice(lineStart, offset))?.[1];
  if (word === undefined) return {};
  if (blockKeyword === "model") {
    return { hint: `a layer is named with \`=\`: \`${word} = dense(…)\``, fix: { title: "Replace `:` with ` =`", edits: [{ span: colon, newText: " =" }] } };
  }
  if (blockKeyword === "data" || blockKeyword === "train" || blockKeyword === "tune") {
    return { hint: `a setting takes its value after a space, with no \`:\`: \`${word} …\``, fix: { title: `Remove the \`:\` after \`${word}\``, edits: [{ span: colon, newText: "" }] } };
  }
  return {};
}

/** A block's `}` missing where its chunk ends: where the block opened, as the error's note. */
function unclosedBrace(error: IRecognitionException, tokens: readonly IToken[]): ReportExtras {
  if (error.token.tokenType.name !== "EOF" || !/Expecting token of type --> RCurly <--/.test(error.message)) return {};
  const open: IToken[] = [];
  for (const t of tokens) {
    if (t.tokenType === LCurly) open.push(t);
    else if (t.tokenType === RCurly) open.pop();
  }
  const brace = open[0];
  return brace ? { related: [{ span: span(brace.startOffset, brace.startOffset + 1), message: "the block opened here" }] } : {};
}

/** A call or list left open at the end of its line (`dense(64`): the fix closes what the line left open, after its last token. */
function unclosedBrackets(error: IRecognitionException, tokens: readonly IToken[]): ReportExtras {
  if (error.token.tokenType !== Newline || !/Expecting token of type --> R(?:Paren|Bracket) <--/.test(error.message)) return {};
  const lineEnd = tokenIndexAt(tokens, error.token.startOffset);
  let start = lineEnd;
  while (start > 0 && !ENDS_STATEMENT.has(tokens[start - 1]!.tokenType)) start--;
  const closers: string[] = [];
  for (let i = start; i < lineEnd; i++) {
    const type = tokens[i]!.tokenType;
    if (type === LParen) closers.push(")");
    else if (type === LBracket) closers.push("]");
    else if (type === RParen || type === RBracket) closers.pop();
  }
  if (closers.length === 0) return {};
  const closing = closers.reverse().join("");
  const at = tokenEnd(tokens[lineEnd - 1]!);
  return { fix: { title: `Insert \`${closing}\` at the end of the line`, edits: [{ span: span(at, at), newText: closing }] } };
}

const ENDS_STATEMENT = new Set([Newline, LCurly, RCurly]);

/** The index of the token that starts at `offset`, among tokens sorted by where they start. */
function tokenIndexAt(tokens: readonly IToken[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (tokens[middle]!.startOffset < offset) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** A block's `{` written on the line below its header, as C# writes it: the fix moves it up. */
function braceOnNextLine(text: string, lineEnd: Span, base: number): ReportExtras {
  const after = /^[\r\n][\s]*\{/.exec(text.slice(lineEnd.start - base));
  if (!after) return {};
  const upToBrace = span(lineEnd.start, lineEnd.start + after[0].length);
  return { hint: "a block's `{` ends the line of its header, as in `train {`", fix: { title: "Move `{` to the end of the header's line", edits: [{ span: upToBrace, newText: " {" }] } };
}

function errorSpan(token: IToken, end: number) {
  if (token.tokenType.name === "EOF" || !Number.isFinite(token.startOffset)) {
    return span(end, end);
  }
  return tokenSpan(token);
}

const TOKEN_LABELS: Record<string, string> = {
  Name: "a name",
  Ident: "a name",
  Number: "a number",
  String: "a string",
  Newline: "a line break",
  LCurly: "`{`",
  RCurly: "`}`",
  LParen: "`(`",
  RParen: "`)`",
  LBracket: "`[`",
  RBracket: "`]`",
  Comma: "`,`",
  Colon: "`:`",
  Equals: "`=`",
  Dot: "`.`",
  Minus: "`-`",
  EOF: "the end of the file",
};

function describeToken(token: IToken, end: string): string {
  if (token.tokenType.name === "EOF") return end;
  if (token.tokenType.name === "Newline") return "the end of the line";
  return `\`${token.image}\``;
}

function labelOf(name: string): string {
  return TOKEN_LABELS[name] ?? `\`${name.toLowerCase()}\``;
}

/** One line a person can act on, instead of Chevrotain's path listing. */
function describeSyntaxError(error: IRecognitionException, end: string): string {
  const found = describeToken(error.token, end);
  switch (error.name) {
    case "MismatchedTokenException": {
      const expected = /Expecting token of type --> (\w+) <--/.exec(error.message)?.[1];
      if (expected === "Newline") return `expected the end of the statement, found ${found}: put one statement per line`;
      return `expected ${expected ? labelOf(expected) : "something else"}, found ${found}`;
    }
    case "NotAllInputParsedException":
      return `unexpected ${found} at top level: expected ${A_BLOCK}`;
    case "EarlyExitException":
    case "NoViableAltException": {
      const rule = error.context.ruleStack[error.context.ruleStack.length - 1] ?? "";
      return `unexpected ${found}${RULE_EXPECTATIONS[rule] ? `: expected ${RULE_EXPECTATIONS[rule]}` : ""}`;
    }
    default:
      return `unexpected ${found}`;
  }
}

const A_BLOCK = `a block (${BLOCK_WORDS.slice(0, -1).join(", ")} or ${BLOCK_WORDS[BLOCK_WORDS.length - 1]})`;

const RULE_EXPECTATIONS: Record<string, string> = {
  spec: A_BLOCK,
  block: A_BLOCK,
  body: "a statement or `}`",
  statement: "a setting (`epochs 30`) or a call (`h1 = dense(64)`)",
  expr: "a value: a number, string, true/false, name, list or call",
  arg: "an argument",
  settingArg: "a value",
  clause: "`on`, `using`, `along`, `from` or `after`",
  statementLine: "the end of the statement: one statement per line",
};

export type { IToken };
