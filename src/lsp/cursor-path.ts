import type { IToken } from "chevrotain";
import * as T from "../compiler/syntax/lexer.js";
import type * as A from "../compiler/syntax/ast.js";
import type { RuleName } from "../compiler/syntax/build-ast.js";
import type { OpenRule } from "../compiler/syntax/parser.js";
import type { Span } from "../compiler/syntax/span.js";
import type { ArgSlot, BlockContext, CallFrame, CallRole, Site } from "./cursor-context.js";

/** What the parser's open rules say of the cursor: the parts of `CursorContext` the syntax decides. */
export interface CursorPath {
  block?: BlockContext;
  statement: { head?: string; boundName?: string };
  calls: CallFrame[];
  qualifier: string[];
  site: Site;
  /** Where the call or setting whose slot the site is starts (its callee or keyword). */
  slotOwner?: number;
}

/** Where a value sits: what the word there is (`site`) and what a call written there is (`role`). */
interface Container {
  site: Site;
  role: CallRole;
}

const BLOCK_RULES: readonly RuleName[] = ["dataBlock", "modelBlock", "taskDecl", "trainBlock", "regularizeBlock", "tuneBlock"];
/** Rules that only hold one other rule's node. */
const WRAPPERS = new Set<RuleName>(["spec", "block", "statement"]);
const NONE: Site = { kind: "none" };

/**
 * Reads the rules a parse of the text before the cursor is inside (parser.ts
 * `openRulesAtEnd`): block → statement → calls → argument. A rule on that
 * path is unfinished at the cursor; its node holds what it read so far, and
 * its last finished child is what the cursor follows. `tokens` are the
 * tokens parsed, to measure how much of a value is typed, and to tell a
 * cursor at a line's start from one after a finished block on its line.
 */
export function readOpenRules(open: readonly OpenRule[], tokens: readonly IToken[]): CursorPath {
  return new PathReader(open, tokens).read();
}

class PathReader {
  /** Each open rule's nearest enclosing open rule that is not a wrapper. */
  private readonly parents = new Map<OpenRule, OpenRule | undefined>();
  private readonly result: CursorPath = { statement: {}, calls: [], qualifier: [], site: { kind: "none" } };

  constructor(
    private readonly open: readonly OpenRule[],
    private readonly tokens: readonly IToken[],
  ) {
    // Each rule comes after the rules that hold it: the enclosing rule is the latest one a level up.
    const latestAt: (OpenRule | undefined)[] = [];
    for (const rule of open) {
      const parent = latestAt[rule.depth - 1];
      this.parents.set(rule, parent && WRAPPERS.has(parent.rule) ? this.parents.get(parent) : parent);
      latestAt[rule.depth] = rule;
      latestAt.length = rule.depth + 1;
    }
  }

  read(): CursorPath {
    const entry = this.child(undefined, ...BLOCK_RULES);
    if (!entry) {
      // Nothing open: a block may start here, unless the cursor follows a finished block on its line.
      const last = this.tokens[this.tokens.length - 1];
      if (!last || last.tokenType === T.Newline) this.result.site = { kind: "topLevel" };
      return this.result;
    }
    const node = entry.node as A.Block;
    const block: BlockContext = { kind: node.kind, inHead: true };
    const name = node.kind === "RegularizeBlock" ? node.target : node.kind === "TuneBlock" ? undefined : node.name;
    if (name) block.name = name.name;
    this.result.block = block;
    const headOnly = entry.span?.end === node.keyword.end;
    if (node.kind === "TaskDecl") {
      this.result.site = this.task(entry, node, headOnly);
      return this.result;
    }
    const body = this.child(entry, "body");
    // A body that holds no real token has not had its `{` yet.
    block.inHead = body?.span === undefined;
    if (!block.inHead) this.result.site = this.body(body!);
    else if (headOnly) this.result.site = { kind: "blockName" };
    else this.result.site = node.kind === "ModelBlock" ? this.modelInput(entry, node) : NONE;
    return this.result;
  }

  /** The latest of `parent`'s open children (`undefined`: of none) that is one of `rules`. */
  private child(parent: OpenRule | undefined, ...rules: readonly RuleName[]): OpenRule | undefined {
    return this.open.find((r) => this.parents.get(r) === parent && rules.includes(r.rule));
  }

  /** `task NAME = KIND(…)`, a statement of its own on the block's line. */
  private task(entry: OpenRule, node: A.TaskDecl, headOnly: boolean): Site {
    const call = this.child(entry, "callExpr");
    if (!call) return headOnly ? { kind: "blockName" } : NONE;
    if (node.name) this.result.statement.boundName = node.name.name;
    return this.call(call, { kind: "statement" });
  }

  /**
   * `model NAME(DATA.input)`: the parenthesis holds the input reference,
   * read as a call's one argument. It is open while its value is, or while
   * nothing (no `)`) follows the value.
   */
  private modelInput(entry: OpenRule, node: A.ModelBlock): Site {
    const value = this.child(entry, "expr");
    if (!value && (!node.input || entry.span?.end !== node.input.span.end)) return NONE;
    const slot = this.slot([], 0, value?.span ?? node.input?.span);
    const name = node.name;
    this.result.calls.push({ callee: name?.name ?? "", calleeStart: name?.span.start ?? node.keyword.start, role: { kind: "modelInput" }, slot });
    const site: Site = { kind: "callArg", slot };
    return this.value(value, { site, role: { kind: "argument", parent: this.result.calls.length - 1, slot } });
  }

  private body(body: OpenRule): Site {
    const line = this.child(body, "statementLine");
    if (!line) return { kind: "statementStart" };
    const open = this.child(line, "callStatement", "setting");
    if (open?.rule === "callStatement") return this.callStatement(open, open.node as A.CallStatement);
    if (open?.rule === "setting") return this.setting(open, open.node as A.Setting);
    // The statement is whole and its line has not ended.
    const whole = line.node as A.Statement | undefined;
    if (whole?.kind === "Setting") return this.setting(undefined, whole);
    return whole ? this.callStatement(undefined, whole) : NONE;
  }

  private callStatement(entry: OpenRule | undefined, node: A.CallStatement): Site {
    if (node.name) this.result.statement.boundName = node.name.name;
    const call = entry && this.child(entry, "callExpr");
    if (call) return this.call(call, { kind: "statement" });
    this.result.statement.head = node.call.callee.name;
    const clause = entry && this.child(entry, "clause");
    if (clause) return this.clause(clause, clause.node as A.Clause);
    return { kind: "afterCall", clausesGiven: node.clauses.map((c) => c.keyword) };
  }

  /** `KEYWORD [WORD] ARG, ARG, …`: the open argument, else the last one written. */
  private setting(entry: OpenRule | undefined, node: A.Setting): Site {
    const setting = node.keyword.name;
    this.result.statement.head = setting;
    this.result.slotOwner = node.keyword.span.start;
    const open = entry && this.child(entry, "settingArg");
    const index = open ? open.index : Math.max(0, node.args.length - 1);
    // `objective maximize |`: the qualifier is the first value's first word.
    const qualifier = index === 0 && node.qualifier ? 1 : 0;
    const slot = this.slot(node.args, index, open?.span ?? node.args[index]?.span, qualifier);
    const site: Site = { kind: "settingArg", setting, slot };
    return open ? this.value(this.child(open, "expr"), { site, role: { kind: "setting", setting, slot } }) : site;
  }

  private clause(entry: OpenRule, node: A.Clause): Site {
    const target = this.child(entry, "expr");
    const index = target ? target.index : node.targets.length;
    const slot: ArgSlot = { index, positionalBefore: index, form: "positional", namesGiven: [], valueTokens: this.tokensIn(target?.span) };
    return this.value(target, { site: { kind: "clause", keyword: node.keyword, slot }, role: { kind: "clause", keyword: node.keyword } });
  }

  /** An open call: the callee after `NAME =`, else the argument the cursor is in. */
  private call(entry: OpenRule, role: CallRole): Site {
    const node = entry.node as A.CallExpr;
    const callee = node.callee;
    if (!callee.name) return role.kind === "statement" ? { kind: "callee" } : NONE;
    if (role.kind === "statement") this.result.statement.head = callee.name;
    // Nothing past the callee: its `(` is still to come.
    if (entry.span === undefined || entry.span.end <= callee.span.end) return NONE;
    const open = this.child(entry, "arg");
    const index = open ? open.index : Math.max(0, node.args.length - 1);
    const slot = this.slot(node.args, index, open?.span ?? node.args[index]?.span);
    this.result.calls.push({ callee: callee.name, calleeStart: callee.span.start, role, slot });
    this.result.slotOwner = callee.span.start;
    const site: Site = { kind: "callArg", slot };
    return open ? this.value(this.child(open, "expr"), { site, role: { kind: "argument", parent: this.result.calls.length - 1, slot } }) : site;
  }

  /** An open value (`expr`): a call, a list or a dotted reference may go on inside it. */
  private value(expr: OpenRule | undefined, container: Container): Site {
    const inner = expr && this.child(expr, "callExpr", "list", "ref");
    switch (inner?.rule) {
      case "callExpr":
        return this.call(inner, container.role);
      case "list":
        // An item of a list is no argument of its own; a call in it is one of the list's owner.
        return this.value(this.child(inner, "expr"), { site: NONE, role: container.role });
      case "ref":
        this.result.qualifier = (inner.node as A.Ref).segments.map((s) => s.name);
        return container.site;
      default:
        return container.site;
    }
  }

  /** The slot at `index` of a call or setting whose arguments so far are `args`; `span` is what it holds. */
  private slot(args: readonly A.Arg[], index: number, span: Span | undefined, leadingWords = 0): ArgSlot {
    const earlier = args.slice(0, index);
    const arg = args[index];
    const slot: ArgSlot = {
      index,
      positionalBefore: earlier.filter((a) => a.form === "positional").length,
      form: arg?.form ?? "positional",
      namesGiven: earlier.flatMap((a) => (a.name ? [a.name.name] : [])),
      // `name:` and `name =` are not part of the value.
      valueTokens: leadingWords + this.tokensIn(span) - (arg?.name ? 2 : 0),
    };
    if (arg?.name) slot.name = arg.name.name;
    return slot;
  }

  /** How many of the parsed tokens lie in `span`; spans on the path end near the last token, so count from there. */
  private tokensIn(span: Span | undefined): number {
    if (!span) return 0;
    let count = 0;
    for (let i = this.tokens.length - 1; i >= 0 && this.tokens[i]!.startOffset >= span.start; i--) {
      if (this.tokens[i]!.startOffset < span.end) count++;
    }
    return count;
  }
}
