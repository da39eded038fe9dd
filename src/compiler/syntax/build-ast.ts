import type { IToken } from "chevrotain";
import type * as A from "./ast.js";
import { tokenEnd } from "./lexer.js";
import { span, type Span } from "./span.js";

/**
 * Builds the AST while the parser runs, with no concrete syntax tree in
 * between. Each rule invocation fills a frame: the real tokens it consumed
 * (error recovery "inserts" tokens with no position; those are holes) and
 * the nodes its sub-rules made. When the rule ends, normally or cut short by
 * a syntax error, its frame becomes a node handed to the enclosing frame, so
 * a partial statement still yields a partial tree.
 */

export type RuleName =
  | "spec"
  | "block"
  | "dataBlock"
  | "modelBlock"
  | "taskDecl"
  | "trainBlock"
  | "regularizeBlock"
  | "tuneBlock"
  | "body"
  | "statementLine"
  | "statement"
  | "callStatement"
  | "clause"
  | "setting"
  | "settingArg"
  | "callExpr"
  | "arg"
  | "expr"
  | "ref"
  | "list";

const NO_OFFSET = -1;

/** One rule invocation's findings. Frames are reused by depth: nothing they hold outlives `nodeOf`. */
export class Frame {
  rule: RuleName = "spec";
  /**
   * Offsets of the real tokens under the rule: the first's start, the
   * furthest end; {@link NO_OFFSET} while there are none. Whole numbers
   * only: one NaN would make every span the tree holds box its offsets.
   */
  start = NO_OFFSET;
  end = NO_OFFSET;
  /** The rule's leading word: a block or clause keyword, a setting's keyword, a call's callee, an argument's name, a literal. */
  first: IToken | undefined = undefined;
  /** A block's name, a setting's qualifier. */
  second: IToken | undefined = undefined;
  /** A real `-` before a number, a real `=` in an argument. */
  marked = false;
  /** The node of the single sub-rule the rule holds (a block's kind, a statement, a value, a call). */
  one: unknown = undefined;
  /** A block's statements. */
  body: A.Statement[] | undefined = undefined;
  /** The nodes of the rule's repeated sub-rules, or a reference's segments. */
  list: unknown[] = [];

  reset(rule: RuleName): void {
    this.rule = rule;
    this.start = NO_OFFSET;
    this.end = NO_OFFSET;
    this.first = undefined;
    this.second = undefined;
    this.marked = false;
    this.one = undefined;
    this.body = undefined;
    this.list = COLLECTS.has(rule) ? [] : NO_ITEMS;
  }

  /** Widens the extent as Chevrotain's offset tracking does: the first real start, then the furthest end. */
  extend(start: number, end: number): void {
    if (this.start === NO_OFFSET) {
      this.start = start;
      this.end = end;
    } else if (this.end < end) this.end = end;
  }

  /** Files a finished sub-rule's node where this rule keeps it. */
  adopt(child: Frame, node: unknown): void {
    this.extend(child.start, child.end);
    switch (child.rule) {
      case "body":
        this.body = node as A.Statement[];
        return;
      case "expr":
        if (this.rule === "clause" || this.rule === "list") this.collect(node);
        else this.one = node;
        return;
      case "block":
      case "statementLine":
      case "clause":
      case "settingArg":
      case "arg":
        this.collect(node);
        return;
      default:
        this.one = node;
    }
  }

  private collect(node: unknown): void {
    if (node !== undefined) this.list.push(node);
  }

  /** The extent as a span; empty at `fallback` when the rule holds no real token. */
  span(fallback: number): Span {
    return this.extent() ?? span(fallback, fallback);
  }

  /** The extent as a span; none while the rule holds no real token. */
  extent(): Span | undefined {
    return this.start === NO_OFFSET ? undefined : span(this.start, this.end);
  }
}

const NO_ITEMS: never[] = [];
const COLLECTS = new Set<RuleName>(["spec", "body", "setting", "callStatement", "clause", "callExpr", "list", "ref"]);

export function isRealToken(token: IToken): boolean {
  return !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

function tokenSpan(t: IToken): Span {
  return span(t.startOffset, tokenEnd(t));
}

export function identifier(t: IToken | undefined, fallback: number): A.Identifier {
  return t
    ? { kind: "Identifier", name: t.image, span: tokenSpan(t) }
    : { kind: "Identifier", name: "", span: span(fallback, fallback) };
}

/** The node a finished frame stands for; `end` is where the text being parsed ends. */
export function nodeOf(frame: Frame, end: number): unknown {
  switch (frame.rule) {
    case "spec":
      return frame.list;
    case "block":
      return frame.one;
    case "dataBlock":
    case "modelBlock":
    case "taskDecl":
    case "trainBlock":
    case "regularizeBlock":
    case "tuneBlock":
      return block(frame, end);
    case "body":
      return frame.list;
    case "statementLine":
    case "statement":
      return frame.one;
    case "callStatement":
      return callStatement(frame);
    case "clause":
      return clause(frame);
    case "setting":
      return setting(frame);
    case "settingArg":
    case "arg":
      return arg(frame);
    case "callExpr":
      return callExpr(frame);
    case "expr":
      return expr(frame);
    case "ref":
      return frame.list.length === 0 ? undefined : { kind: "Ref", segments: frame.list as A.Identifier[], span: frame.span(0) };
    case "list":
      return { kind: "List", items: frame.list as A.Expr[], span: frame.span(0) };
  }
}

function block(frame: Frame, end: number): A.Block {
  const keyword = tokenSpan(frame.first!);
  const name = frame.second ? identifier(frame.second, 0) : undefined;
  const body = frame.body ?? [];
  const whole = frame.span(end);
  switch (frame.rule) {
    case "dataBlock":
      return { kind: "DataBlock", keyword, name, body, span: whole };
    case "modelBlock":
      return { kind: "ModelBlock", keyword, name, input: frame.one as A.Expr | undefined, body, span: whole };
    case "taskDecl":
      return { kind: "TaskDecl", keyword, name, call: frame.one as A.CallExpr | undefined, span: whole };
    case "trainBlock":
      return { kind: "TrainBlock", keyword, name, body, span: whole };
    case "regularizeBlock":
      return { kind: "RegularizeBlock", keyword, target: name, body, span: whole };
    default:
      return { kind: "TuneBlock", keyword, body, span: whole };
  }
}

function setting(frame: Frame): A.Setting | undefined {
  const keywordToken = frame.first;
  if (!keywordToken) return undefined;
  return {
    kind: "Setting",
    keyword: identifier(keywordToken, 0),
    qualifier: frame.second ? identifier(frame.second, 0) : undefined,
    args: frame.list as A.Arg[],
    span: frame.span(keywordToken.startOffset),
  };
}

function callStatement(frame: Frame): A.CallStatement | undefined {
  const call = frame.one as A.CallExpr | undefined;
  if (!call) return undefined;
  return {
    kind: "CallStatement",
    name: frame.first ? identifier(frame.first, 0) : undefined,
    call,
    clauses: frame.list as A.Clause[],
    span: frame.span(0),
  };
}

function clause(frame: Frame): A.Clause {
  const keywordToken = frame.first;
  const whole = frame.span(0);
  return {
    kind: "Clause",
    keyword: (keywordToken?.image ?? "on") as A.ClauseKeyword,
    keywordSpan: keywordToken ? tokenSpan(keywordToken) : span(whole.start, whole.start),
    targets: frame.list as A.Expr[],
    span: whole,
  };
}

function arg(frame: Frame): A.Arg {
  const whole = frame.span(0);
  const value = frame.one as A.Expr | undefined;
  if (!frame.first) return { kind: "Arg", name: undefined, form: "positional", value, span: whole };
  return { kind: "Arg", name: identifier(frame.first, 0), form: frame.marked ? "binding" : "named", value, span: whole };
}

function callExpr(frame: Frame): A.CallExpr {
  const whole = frame.span(0);
  return { kind: "Call", callee: identifier(frame.first, whole.start), args: frame.list as A.Arg[], span: whole };
}

/** A literal from the frame's token, or the list, call or reference a sub-rule made. */
function expr(frame: Frame): A.Expr | undefined {
  const literal = frame.first;
  if (!literal) return frame.one as A.Expr | undefined;
  const whole = frame.span(0);
  switch (literal.tokenType.name) {
    case "Number":
      return number(literal, frame.marked, whole);
    case "String":
      return string(literal);
    case "True":
      return { kind: "Bool", value: true, span: whole };
    default:
      return { kind: "Bool", value: false, span: whole };
  }
}

const CLOSED_STRING = /^"(?:[^"\\\r\n]|\\.)*"$/;

function number(t: IToken, negative: boolean, whole: Span): A.NumberLit {
  const image = t.image;
  const unitAt = unitStart(image);
  const magnitude = Number(unitAt === image.length ? image : image.slice(0, unitAt));
  const unit = unitAt === image.length ? undefined : image.slice(unitAt);
  return { kind: "Number", value: negative ? -magnitude : magnitude, unit, raw: negative ? "-" + image : image, span: whole };
}

/** Where a number token's unit suffix starts: after the digits, the point and an exponent (`1e-4`, but `1em` is 1 em). */
function unitStart(image: string): number {
  let i = 0;
  while (isDigit(image.charCodeAt(i))) i++;
  if (image.charCodeAt(i) === 46 /* . */) {
    i++;
    while (isDigit(image.charCodeAt(i))) i++;
  }
  const e = image.charCodeAt(i);
  if (e === 101 /* e */ || e === 69 /* E */) {
    const sign = image.charCodeAt(i + 1);
    const digitsAt = sign === 43 /* + */ || sign === 45 /* - */ ? i + 2 : i + 1;
    if (isDigit(image.charCodeAt(digitsAt))) {
      i = digitsAt;
      while (isDigit(image.charCodeAt(i))) i++;
    }
  }
  return i;
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function string(t: IToken): A.StringLit {
  const closed = CLOSED_STRING.test(t.image);
  const body = t.image.slice(1, closed ? -1 : undefined);
  return { kind: "String", value: body.replace(/\\(.)/g, "$1"), span: tokenSpan(t) };
}
