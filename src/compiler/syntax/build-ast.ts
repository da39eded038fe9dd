import type { CstNode, IToken } from "chevrotain";
import type * as A from "./ast.js";
import { span, type Span } from "./span.js";
import type { DiagnosticSink } from "../diagnostics/report.js";

/**
 * Turns the concrete syntax tree into the AST. Error recovery leaves nodes
 * partial and tokens "inserted" (with no position); both become holes.
 */

type Children = Record<string, (CstNode | IToken)[] | undefined>;

function kids(node: CstNode): Children {
  return node.children as Children;
}

function isRealToken(token: IToken | undefined): token is IToken {
  return !!token && !token.isInsertedInRecovery && Number.isFinite(token.startOffset);
}

const NO_CHILDREN: never[] = [];

function tokens(node: CstNode, name: string): IToken[] {
  const list = (kids(node)[name] ?? NO_CHILDREN) as IToken[];
  return list.every((t) => isRealToken(t)) ? list : list.filter(isRealToken);
}

/** The first real token filed under `name`, without building a list. */
function token(node: CstNode, name: string): IToken | undefined {
  for (const t of (kids(node)[name] ?? NO_CHILDREN) as IToken[]) if (isRealToken(t)) return t;
  return undefined;
}

function nodes(node: CstNode, name: string): CstNode[] {
  return (kids(node)[name] ?? NO_CHILDREN) as CstNode[];
}

function child(node: CstNode, name: string): CstNode | undefined {
  return nodes(node, name)[0];
}

function tokenSpan(t: IToken): Span {
  return span(t.startOffset, t.startOffset + t.image.length);
}

/**
 * The span of everything real under a node; empty at `fallback` if nothing
 * is. The parser tracks node offsets; only nodes that recovery touched need
 * the walk over their tokens.
 */
function nodeSpan(node: CstNode, fallback: number): Span {
  const location = node.location;
  if (!node.recoveredNode && location && Number.isFinite(location.startOffset) && Number.isFinite(location.endOffset)) {
    return span(location.startOffset, location.endOffset! + 1);
  }
  let start = Infinity;
  let end = -Infinity;
  const visit = (n: CstNode) => {
    for (const list of Object.values(kids(n))) {
      for (const item of list ?? []) {
        if ("children" in item) visit(item);
        else if (isRealToken(item)) {
          start = Math.min(start, item.startOffset);
          end = Math.max(end, item.startOffset + item.image.length);
        }
      }
    }
  };
  visit(node);
  return Number.isFinite(start) ? span(start, end) : span(fallback, fallback);
}

function identifier(t: IToken | undefined, fallback: number): A.Identifier {
  return t
    ? { kind: "Identifier", name: t.image, span: tokenSpan(t) }
    : { kind: "Identifier", name: "", span: span(fallback, fallback) };
}

const CLAUSE_TOKEN_NAMES = ["On", "Using", "Along", "From", "After"];

export class AstBuilder {
  /** `end` is the offset where the text being built ends (its chunk's end, in the whole file's offsets). */
  constructor(
    private readonly end: number,
    private readonly sink: DiagnosticSink,
  ) {}

  spec(cst: CstNode, comments: IToken[]): A.SpecFile {
    const blocks: A.Block[] = [];
    for (const blockNode of nodes(cst, "block")) {
      const block = this.block(blockNode);
      if (block) blocks.push(block);
    }
    return {
      kind: "SpecFile",
      blocks,
      comments: comments.map((c) => this.comment(c)),
      span: span(0, this.end),
    };
  }

  private comment(t: IToken): A.Comment {
    const closed = t.tokenType.name !== "UnclosedBlockComment";
    if (!closed) this.sink.report("REG0004", span(t.startOffset, t.startOffset + 2));
    return {
      kind: "Comment",
      text: t.image,
      style: t.image.startsWith("//") ? "line" : "block",
      span: tokenSpan(t),
    };
  }

  private block(node: CstNode): A.Block | undefined {
    const inner = Object.values(kids(node))[0]?.[0] as CstNode | undefined;
    if (!inner) return undefined;
    const whole = nodeSpan(inner, this.end);
    const name = (t: IToken | undefined) => (t ? identifier(t, 0) : undefined);
    switch (inner.name) {
      case "dataBlock": {
        const keyword = tokenSpan(token(inner, "Data")!);
        return { kind: "DataBlock", keyword, name: name(token(inner, "Name")), body: this.body(inner), span: whole };
      }
      case "modelBlock": {
        const keyword = tokenSpan(token(inner, "Model")!);
        const input = child(inner, "expr");
        return {
          kind: "ModelBlock",
          keyword,
          name: name(token(inner, "Name")),
          input: input ? this.expr(input) : undefined,
          body: this.body(inner),
          span: whole,
        };
      }
      case "taskDecl": {
        const keyword = tokenSpan(token(inner, "Task")!);
        const call = child(inner, "callExpr");
        return {
          kind: "TaskDecl",
          keyword,
          name: name(token(inner, "Name")),
          call: call ? this.callExpr(call) : undefined,
          span: whole,
        };
      }
      case "trainBlock": {
        const keyword = tokenSpan(token(inner, "Train")!);
        return { kind: "TrainBlock", keyword, name: name(token(inner, "Name")), body: this.body(inner), span: whole };
      }
      case "regularizeBlock": {
        const keyword = tokenSpan(token(inner, "Regularize")!);
        return { kind: "RegularizeBlock", keyword, target: name(token(inner, "Name")), body: this.body(inner), span: whole };
      }
      case "tuneBlock": {
        const keyword = tokenSpan(token(inner, "Tune")!);
        return { kind: "TuneBlock", keyword, body: this.body(inner), span: whole };
      }
      default:
        return undefined;
    }
  }

  private body(blockNode: CstNode): A.Statement[] {
    const bodyNode = child(blockNode, "body");
    if (!bodyNode) return [];
    const statements: A.Statement[] = [];
    for (const line of nodes(bodyNode, "statementLine")) {
      const statementNode = child(line, "statement");
      if (!statementNode) continue;
      const settingNode = child(statementNode, "setting");
      const callNode = settingNode ? undefined : child(statementNode, "callStatement");
      const statement = settingNode ? this.setting(settingNode) : callNode ? this.callStatement(callNode) : undefined;
      if (statement) statements.push(statement);
    }
    return statements;
  }

  private setting(node: CstNode): A.Setting | undefined {
    const keywordToken = token(node, "Name");
    if (!keywordToken) return undefined;
    const qualifierToken = token(node, "qualifier");
    return {
      kind: "Setting",
      keyword: identifier(keywordToken, 0),
      qualifier: qualifierToken ? identifier(qualifierToken, 0) : undefined,
      args: nodes(node, "settingArg").map((a) => this.arg(a)),
      span: nodeSpan(node, keywordToken.startOffset),
    };
  }

  private callStatement(node: CstNode): A.CallStatement | undefined {
    const callNode = child(node, "callExpr");
    if (!callNode) return undefined;
    const nameToken = token(node, "Name");
    return {
      kind: "CallStatement",
      name: nameToken ? identifier(nameToken, 0) : undefined,
      call: this.callExpr(callNode),
      clauses: nodes(node, "clause").map((c) => this.clause(c)),
      span: nodeSpan(node, 0),
    };
  }

  private clause(node: CstNode): A.Clause {
    const keywordToken = CLAUSE_TOKEN_NAMES.map((name) => token(node, name)).find((t) => t !== undefined);
    const whole = nodeSpan(node, 0);
    return {
      kind: "Clause",
      keyword: (keywordToken?.image ?? "on") as A.ClauseKeyword,
      keywordSpan: keywordToken ? tokenSpan(keywordToken) : span(whole.start, whole.start),
      targets: nodes(node, "expr")
        .map((e) => this.expr(e))
        .filter((e): e is A.Expr => !!e),
      span: whole,
    };
  }

  private arg(node: CstNode): A.Arg {
    const whole = nodeSpan(node, 0);
    const nameToken = token(node, "Name");
    const exprNode = child(node, "expr");
    const value = exprNode ? this.expr(exprNode) : undefined;
    if (!nameToken) return { kind: "Arg", name: undefined, form: "positional", value, span: whole };
    const form = token(node, "Equals") ? "binding" : "named";
    return { kind: "Arg", name: identifier(nameToken, 0), form, value, span: whole };
  }

  callExpr(node: CstNode): A.CallExpr {
    const whole = nodeSpan(node, 0);
    return {
      kind: "Call",
      callee: identifier(token(node, "Name"), whole.start),
      args: nodes(node, "arg").map((a) => this.arg(a)),
      span: whole,
    };
  }

  private expr(node: CstNode): A.Expr | undefined {
    const whole = nodeSpan(node, 0);
    const numberToken = token(node, "Number");
    if (numberToken) return this.number(numberToken, !!token(node, "Minus"), whole);
    const stringToken = token(node, "String");
    if (stringToken) return this.string(stringToken);
    if (token(node, "True")) return { kind: "Bool", value: true, span: whole };
    if (token(node, "False")) return { kind: "Bool", value: false, span: whole };
    const listNode = child(node, "list");
    if (listNode) {
      const items = nodes(listNode, "expr")
        .map((e) => this.expr(e))
        .filter((e): e is A.Expr => !!e);
      return { kind: "List", items, span: nodeSpan(listNode, whole.start) };
    }
    const callNode = child(node, "callExpr");
    if (callNode) return this.callExpr(callNode);
    const refNode = child(node, "ref");
    if (refNode) {
      const segments = tokens(refNode, "Name").map((t) => identifier(t, 0));
      if (segments.length === 0) return undefined;
      return { kind: "Ref", segments, span: nodeSpan(refNode, whole.start) };
    }
    return undefined;
  }

  private number(t: IToken, negative: boolean, whole: Span): A.NumberLit {
    const match = /^((?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)(.*)$/.exec(t.image)!;
    const magnitude = Number(match[1]);
    const unit = match[2] ? match[2] : undefined;
    return { kind: "Number", value: negative ? -magnitude : magnitude, unit, raw: (negative ? "-" : "") + t.image, span: whole };
  }

  private string(t: IToken): A.StringLit {
    const closed = /^"(?:[^"\\\r\n]|\\.)*"$/.test(t.image);
    const body = t.image.slice(1, closed ? -1 : undefined);
    return { kind: "String", value: body.replace(/\\(.)/g, "$1"), span: tokenSpan(t) };
  }
}
