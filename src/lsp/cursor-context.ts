import { tokenMatcher, type IToken } from "chevrotain";
import type { BlockKind, ClauseKeyword } from "../compiler/syntax/ast.js";
import * as T from "../compiler/syntax/lexer.js";
import { chunkAround } from "../compiler/syntax/chunks.js";
import { lexSlice, openRulesBefore } from "../compiler/syntax/statement-at.js";
import { readOpenRules } from "./cursor-path.js";
import { namesAfter } from "./names-after.js";

/**
 * What surrounds the cursor: the block, the statement, the open calls and
 * the argument being typed, as the parser reads the text before the cursor
 * (see cursor-path.ts). That text decides it, so it works on half-typed
 * text that a parse of the whole would cut short (an unclosed call, a
 * missing `}`); only the names of the arguments written after the cursor
 * are read from the rest of its line (names-after.ts).
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
  /**
   * Names given in the other slots of the same call or setting, before and
   * after the cursor (those after it are read when first asked for).
   */
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

function isWord(token: IToken | undefined): token is IToken {
  return token !== undefined && (tokenMatcher(token, T.Name) || token.tokenType === T.True || token.tokenType === T.False);
}

export function cursorContext(text: string, offset: number): CursorContext {
  // Lex only the current block, up to the cursor, with the file's offsets.
  const chunk = chunkAround(text, offset);
  const { tokens, comments } = lexSlice(text, chunk.start, offset);
  const last = tokens[tokens.length - 1];
  const touching = last && last.startOffset + last.image.length === offset ? last : undefined;
  // A string closed at the cursor is, like a number, a value written: read with the tokens before it, so the calls around it stand.
  const typingString = touching?.tokenType === T.StringTok && !isClosedString(touching.image);
  const typingWord = typingString || isWord(touching);
  const before = typingWord ? tokens.slice(0, -1) : tokens;
  const word = typingWord ? { text: touching!.image, start: touching!.startOffset } : { text: "", start: offset };

  const context: CursorContext = { offset, word, inert: false, statement: {}, calls: [], qualifier: [], site: { kind: "none" } };
  if (insideComment(comments, offset)) {
    context.inert = true;
    return context;
  }

  const { slotOwner, ...path } = readOpenRules(openRulesBefore(before, word.start), before);
  Object.assign(context, path);
  const site = context.site;
  // Names matter where a value starts (`name:` may be typed there), and only there; those after the cursor are read when asked for.
  if ((site.kind === "callArg" || site.kind === "settingArg") && site.slot.valueTokens === 0 && slotOwner !== undefined) {
    const slot = site.slot;
    const earlier = slot.namesGiven;
    let all: string[] | undefined;
    const namesGiven = () => (all ??= [...earlier, ...namesAfter(text, before, slotOwner, word.start, offset, chunk.end)]);
    Object.defineProperty(slot, "namesGiven", { get: namesGiven, enumerable: true });
  }
  // An unterminated string is a column name being typed; anywhere else it is inert text.
  if (typingString && site.kind !== "settingArg" && site.kind !== "callArg") context.inert = true;
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
