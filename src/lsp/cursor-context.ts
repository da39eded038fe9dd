import { tokenMatcher, type IToken, type TokenType } from "chevrotain";
import { CLAUSE_KEYWORDS, type BlockKind, type ClauseKeyword } from "../compiler/syntax/ast.js";
import * as T from "../compiler/syntax/lexer.js";
import { chunkStarts } from "../compiler/syntax/chunks.js";

/**
 * What surrounds the cursor, read from the lexer's tokens up to it: the
 * block, the statement, the open calls and the argument being typed. Only
 * the text before the cursor is read, so it works on half-typed text that
 * the parser would reject (an unclosed call, a missing `}`).
 */
export interface CursorContext {
  offset: number;
  /** The word being typed, from its start up to the cursor (empty after a space, `(`, `.`, …). */
  word: { text: string; start: number };
  /** The cursor is inside a comment or a string that is not a column name being typed. */
  inert: boolean;
  /** The block around the cursor; undefined at top level. */
  block?: BlockContext;
  /** The first word of the current statement, and `NAME =` before it where given. */
  statement: { head?: string; boundName?: string };
  /** Open calls around the cursor, outermost first. */
  calls: CallFrame[];
  /** Segments of a dotted reference before the word: `mlp.` gives `["mlp"]`. */
  qualifier: string[];
  site: Site;
}

export interface BlockContext {
  kind: BlockKind;
  /** The block's name, or the model a `regularize` block names. */
  name?: string;
  /** Still in the head, before `{` (or anywhere in a one-line `task`). */
  inHead: boolean;
}

/** An argument slot of a call or a setting. */
export interface ArgSlot {
  /** Position among the slots, from 0. */
  index: number;
  /** How many earlier slots were positional (no `name:`, no `name =`). */
  positionalBefore: number;
  /** `name:` (a named argument) or `name =` (a binding in a setting), once its `:` or `=` is typed. */
  name?: string;
  form: "positional" | "named" | "binding";
  /** Names given in the other slots of the same call or setting, before and after the cursor. */
  namesGiven: string[];
  /** Tokens of the value already typed before the word (0 at the start of the value). */
  valueTokens: number;
}

/** Where a call sits, which decides what its callee can be. */
export type CallRole =
  | { kind: "statement" }
  | { kind: "setting"; setting: string; slot: ArgSlot }
  | { kind: "argument"; parent: number; slot: ArgSlot }
  | { kind: "clause"; keyword: ClauseKeyword }
  | { kind: "modelInput" };

export interface CallFrame {
  callee: string;
  calleeStart: number;
  role: CallRole;
  /** The slot the cursor is in (the latest one). */
  slot: ArgSlot;
}

/** What the word at the cursor can be. */
export type Site =
  | { kind: "topLevel" }
  /** A block's name, or the model after `regularize`. */
  | { kind: "blockName" }
  /** The first word of a statement in a block body. */
  | { kind: "statementStart" }
  /** The callee after `NAME =` (a named layer, a task kind). */
  | { kind: "callee" }
  | { kind: "settingArg"; setting: string; slot: ArgSlot }
  /** Inside the innermost call of `calls`. */
  | { kind: "callArg"; slot: ArgSlot }
  | { kind: "clause"; keyword: ClauseKeyword; slot: ArgSlot }
  /** After a statement's call, where a clause keyword may follow. */
  | { kind: "afterCall"; clausesGiven: ClauseKeyword[] }
  | { kind: "none" };

const BLOCK_KINDS = new Map<TokenType, BlockKind>([
  [T.Data, "DataBlock"],
  [T.Model, "ModelBlock"],
  [T.Task, "TaskDecl"],
  [T.Train, "TrainBlock"],
  [T.Regularize, "RegularizeBlock"],
  [T.Tune, "TuneBlock"],
]);

const STATEMENT_BREAKS = new Set<TokenType>([T.Newline, T.LCurly, T.RCurly]);

function isWord(token: IToken | undefined): token is IToken {
  return token !== undefined && (tokenMatcher(token, T.Name) || token.tokenType === T.True || token.tokenType === T.False);
}

function isClauseKeyword(token: IToken): boolean {
  return T.CLAUSE_TOKENS.includes(token.tokenType);
}

function clauseKeyword(token: IToken): ClauseKeyword {
  return CLAUSE_KEYWORDS.find((k) => k === token.image)!;
}

/** Where the top-level block holding `offset` starts, and where the next one does: the parser's own chunks. */
function chunkAround(text: string, offset: number): { start: number; end: number } {
  const starts = chunkStarts(text);
  let index = 0;
  while (index + 1 < starts.length && starts[index + 1]! <= offset) index++;
  return { start: starts[index]!, end: starts[index + 1] ?? text.length };
}

export function cursorContext(text: string, offset: number): CursorContext {
  // Lex only the current block; blanking what precedes it keeps token offsets absolute.
  const { start } = chunkAround(text, offset);
  const { tokens, comments } = T.lex(" ".repeat(start) + text.slice(start, offset));
  const last = tokens[tokens.length - 1];
  const touching = last && last.startOffset + last.image.length === offset ? last : undefined;
  const typingString = touching?.tokenType === T.StringTok;
  const typingWord = typingString || isWord(touching);
  const before = typingWord ? tokens.slice(0, -1) : tokens;
  const word = typingWord ? { text: touching!.image, start: touching!.startOffset } : { text: "", start: offset };

  const context: CursorContext = { offset, word, inert: false, statement: {}, calls: [], qualifier: qualifierBefore(before), site: { kind: "none" } };
  if (insideComment(comments, offset) || (typingString && isClosedString(touching!.image))) {
    context.inert = true;
    return context;
  }
  if (touching?.tokenType === T.NumberTok) return context;

  const { block, bodyStart } = enclosingBlock(before);
  const statementTokens = block ? tokensOfStatement(before, block, bodyStart) : [];
  if (block) context.block = block;
  context.site = readStatement(context, statementTokens);
  if (context.site.kind === "callArg" || context.site.kind === "settingArg") context.site.slot.namesGiven.push(...namesAfter(text, offset));
  // An unterminated string is a column name being typed; anywhere else it is inert text.
  if (typingString && context.site.kind !== "settingArg" && context.site.kind !== "callArg") context.inert = true;
  return context;
}

function insideComment(comments: readonly IToken[], offset: number): boolean {
  const last = comments[comments.length - 1];
  if (!last || last.startOffset + last.image.length !== offset) return false;
  // A closed block comment just before the cursor does not hold it.
  return last.tokenType !== T.BlockComment;
}

function isClosedString(image: string): boolean {
  return image.length >= 2 && image.endsWith('"') && !image.endsWith('\\"');
}

/** `mlp.` → ["mlp"]; `h1.ker` (before the word `ker`) → ["h1"]. */
function qualifierBefore(tokens: readonly IToken[]): string[] {
  const segments: string[] = [];
  let i = tokens.length - 1;
  while (i >= 1 && tokens[i]!.tokenType === T.Dot && isWord(tokens[i - 1])) {
    segments.unshift(tokens[i - 1]!.image);
    i -= 2;
  }
  return segments;
}

/**
 * The block the tokens end in. The tokens are those of one of the parser's
 * chunks (see chunks.ts): a block keyword opens a block only where the
 * parser would read one, at top level — at the chunk's start, or after a
 * block closed on the same line — and never inside an unclosed block. A
 * `}` that closes the block, or the line break that ends a `task`, returns
 * to top level.
 */
function enclosingBlock(tokens: readonly IToken[]): { block?: BlockContext; bodyStart: number } {
  let block: BlockContext | undefined;
  let bodyStart = 0;
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const type = tokens[i]!.tokenType;
    const kind = BLOCK_KINDS.get(type);
    if (!block) {
      if (!kind) continue;
      block = { kind, inHead: true };
      const name = tokens[i + 1];
      if (isWord(name)) block.name = name.image;
      bodyStart = i + 1;
      depth = 0;
    } else if (type === T.LCurly) {
      depth++;
      if (block.inHead && depth === 1) {
        block.inHead = false;
        bodyStart = i + 1;
      }
    } else if (type === T.RCurly) {
      depth = Math.max(0, depth - 1);
      if (depth === 0) block = undefined;
    } else if (type === T.Newline && block.kind === "TaskDecl") {
      block = undefined;
    }
  }
  return block ? { block, bodyStart } : { bodyStart: tokens.length };
}

/** The tokens of the statement the cursor is in; for a block head, those after the block keyword. */
function tokensOfStatement(tokens: readonly IToken[], block: BlockContext, bodyStart: number): IToken[] {
  if (block.inHead) return tokens.slice(bodyStart);
  let start = bodyStart;
  for (let i = tokens.length - 1; i >= bodyStart; i--) {
    if (STATEMENT_BREAKS.has(tokens[i]!.tokenType)) {
      start = i + 1;
      break;
    }
  }
  return tokens.slice(start);
}

interface OpenFrame {
  call?: CallFrame;
  slots: ArgSlot[];
}

/** The slot after `earlier` in the same call, clause or setting. */
function newSlot(earlier: readonly ArgSlot[]): ArgSlot {
  return {
    index: earlier.length,
    positionalBefore: earlier.filter((s) => s.form === "positional").length,
    form: "positional",
    namesGiven: earlier.flatMap((s) => (s.name ? [s.name] : [])),
    valueTokens: 0,
  };
}

/** Marks `name:` or `name =` at the start of a slot as its name. */
function nameSlot(slot: ArgSlot, previous: IToken | undefined, form: "named" | "binding"): void {
  if (slot.valueTokens === 1 && isWord(previous)) {
    slot.name = previous.image;
    slot.form = form;
    slot.valueTokens = 0;
  }
}

/** Reads one statement's tokens (the block head's, for a block still in its head) and says where the word sits. */
function readStatement(context: CursorContext, tokens: readonly IToken[]): Site {
  const block = context.block;
  if (!block) return { kind: "topLevel" };
  if (block.inHead && block.kind !== "TaskDecl") return readBlockHead(context, block, tokens);
  if (block.kind === "TaskDecl" && tokens[1]?.tokenType !== T.Equals) return tokens.length === 0 ? { kind: "blockName" } : { kind: "none" };
  if (tokens.length === 0) return { kind: "statementStart" };

  // `NAME = …` names a layer (or a task); a setting's `label = …` comes after its keyword.
  let headAt = 0;
  if (tokens[1]?.tokenType === T.Equals && isWord(tokens[0])) {
    context.statement.boundName = tokens[0].image;
    headAt = 2;
  }
  const head = tokens[headAt];
  if (!head) return { kind: "callee" };
  if (!isWord(head)) return { kind: "none" };
  context.statement.head = head.image;
  const isCall = tokens[headAt + 1]?.tokenType === T.LParen;
  return isCall ? readCallStatement(context, tokens, headAt) : readSetting(context, tokens, head.image);
}

function readBlockHead(context: CursorContext, block: BlockContext, tokens: readonly IToken[]): Site {
  if (tokens.length === 0) return { kind: "blockName" };
  if (block.kind !== "ModelBlock") return { kind: "none" };
  // `model NAME(DATA.input)`: the parenthesis holds the input reference.
  const open = tokens.findIndex((t) => t.tokenType === T.LParen);
  if (open < 0 || tokens.slice(open).some((t) => t.tokenType === T.RParen)) return { kind: "none" };
  const slot = newSlot([]);
  slot.valueTokens = tokens.length - open - 1;
  context.calls.push({ callee: block.name ?? "", calleeStart: tokens[open - 1]?.startOffset ?? 0, role: { kind: "modelInput" }, slot });
  return { kind: "callArg", slot };
}

/** `[NAME =] FUNC(ARGS) [CLAUSE…]`, and the one-line `task NAME = KIND(…)`. */
function readCallStatement(context: CursorContext, tokens: readonly IToken[], headAt: number): Site {
  const frames: OpenFrame[] = [];
  let clause: { keyword: ClauseKeyword; slots: ArgSlot[] } | undefined;
  const clausesGiven: ClauseKeyword[] = [];
  let afterCall = false;

  for (let i = headAt + 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const top = frames[frames.length - 1];
    const slot = top ? top.slots[top.slots.length - 1]! : clause?.slots[clause.slots.length - 1];
    if (token.tokenType === T.LParen || token.tokenType === T.LBracket) {
      if (slot) slot.valueTokens++;
      frames.push(openFrame(token, tokens[i - 1], frames, clause?.keyword));
    } else if (token.tokenType === T.RParen || token.tokenType === T.RBracket) {
      frames.pop();
      if (frames.length === 0 && !clause) afterCall = true;
    } else if (token.tokenType === T.Comma) {
      const slots = top ? top.slots : clause?.slots;
      slots?.push(newSlot(slots));
    } else if (token.tokenType === T.Colon && slot) {
      nameSlot(slot, tokens[i - 1], "named");
    } else if (frames.length === 0 && afterCall && isClauseKeyword(token)) {
      clause = { keyword: clauseKeyword(token), slots: [] };
      clause.slots.push(newSlot(clause.slots));
      clausesGiven.push(clause.keyword);
    } else if (slot) {
      slot.valueTokens++;
    }
  }
  syncCalls(context, frames);
  const top = frames[frames.length - 1];
  if (top) {
    const slot = top.slots[top.slots.length - 1]!;
    return top.call ? { kind: "callArg", slot } : { kind: "none" };
  }
  if (clause) return { kind: "clause", keyword: clause.keyword, slot: clause.slots[clause.slots.length - 1]! };
  return afterCall ? { kind: "afterCall", clausesGiven } : { kind: "none" };
}

/** `KEYWORD ARG, ARG, …` where an ARG is `EXPR`, `NAME: EXPR` or `NAME = EXPR`. */
function readSetting(context: CursorContext, tokens: readonly IToken[], setting: string): Site {
  const frames: OpenFrame[] = [];
  const slots: ArgSlot[] = [];
  slots.push(newSlot(slots));
  for (let i = 1; i < tokens.length; i++) {
    const token = tokens[i]!;
    const top = frames[frames.length - 1];
    const slot = top ? top.slots[top.slots.length - 1]! : slots[slots.length - 1]!;
    if (token.tokenType === T.LParen || token.tokenType === T.LBracket) {
      slot.valueTokens++;
      frames.push(openFrame(token, tokens[i - 1], frames, undefined, { setting, slot }));
    } else if (token.tokenType === T.RParen || token.tokenType === T.RBracket) {
      frames.pop();
    } else if (token.tokenType === T.Comma) {
      const list = top ? top.slots : slots;
      list.push(newSlot(list));
    } else if (token.tokenType === T.Colon) {
      nameSlot(slot, tokens[i - 1], "named");
    } else if (token.tokenType === T.Equals && !top) {
      nameSlot(slot, tokens[i - 1], "binding");
    } else {
      slot.valueTokens++;
    }
  }
  syncCalls(context, frames);
  const top = frames[frames.length - 1];
  if (!top) return { kind: "settingArg", setting, slot: slots[slots.length - 1]! };
  return top.call ? { kind: "callArg", slot: top.slots[top.slots.length - 1]! } : { kind: "none" };
}

/** Opens a call (a word before `(`) or a list (`[`, or `(` after no word). */
function openFrame(
  token: IToken,
  previous: IToken | undefined,
  frames: readonly OpenFrame[],
  clause: ClauseKeyword | undefined,
  setting?: { setting: string; slot: ArgSlot },
): OpenFrame {
  const slots: ArgSlot[] = [];
  slots.push(newSlot(slots));
  if (token.tokenType !== T.LParen || !isWord(previous)) return { slots };
  const role = callRole(frames, clause, setting);
  return { call: { callee: previous.image, calleeStart: previous.startOffset, role, slot: slots[0]! }, slots };
}

function callRole(frames: readonly OpenFrame[], clause: ClauseKeyword | undefined, setting?: { setting: string; slot: ArgSlot }): CallRole {
  // A list inside a call passes its items to that call's argument.
  for (let i = frames.length - 1; i >= 0; i--) {
    const frame = frames[i]!;
    if (frame.call) return { kind: "argument", parent: callIndex(frames, frame), slot: frame.slots[frame.slots.length - 1]! };
  }
  if (setting) return { kind: "setting", ...setting };
  if (clause) return { kind: "clause", keyword: clause };
  return { kind: "statement" };
}

/** A frame's index in `calls`, which holds only the frames that are calls. */
function callIndex(frames: readonly OpenFrame[], frame: OpenFrame): number {
  return frames.slice(0, frames.indexOf(frame) + 1).filter((f) => f.call).length - 1;
}

/** Publishes the open calls, each with the slot the cursor is in. */
function syncCalls(context: CursorContext, frames: readonly OpenFrame[]): void {
  context.calls = frames.flatMap((f) => (f.call ? [{ ...f.call, slot: f.slots[f.slots.length - 1]! }] : []));
}

/**
 * Names of the arguments written after the cursor in the same call or
 * setting (`early_stop(|, patience: 3)`), read up to the call's `)` or the
 * end of the statement, so a name is not offered twice.
 */
function namesAfter(text: string, offset: number): string[] {
  const { tokens } = T.lex(text.slice(offset, Math.max(offset, chunkAround(text, offset).end)));
  const names: string[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    if (token.tokenType === T.LParen || token.tokenType === T.LBracket) depth++;
    else if (token.tokenType === T.RParen || token.tokenType === T.RBracket) {
      if (depth === 0) break;
      depth--;
    } else if (STATEMENT_BREAKS.has(token.tokenType)) break;
    else if (depth === 0 && i > 0 && token.tokenType === T.Colon && tokens[i - 2]?.tokenType === T.Comma && isWord(tokens[i - 1])) {
      names.push(tokens[i - 1]!.image);
    }
  }
  return names;
}
