import type { SemanticTokens, SemanticTokensLegend } from "vscode-languageserver";
import type * as A from "../compiler/syntax/ast.js";
import type { Span } from "../compiler/index.js";
import type { Analysis } from "./analysis.js";
import { isCatalogCallable, isCatalogWord } from "./catalog-words.js";
import type { Feature } from "./feature.js";
import type { SymbolHit } from "../compiler/binder/symbols.js";
import { declaredNameHits, type DeclaredKind } from "./symbol-at.js";

const TOKEN_TYPES = [
  "namespace",
  "class",
  "event",
  "variable",
  "property",
  "function",
  "parameter",
  "keyword",
  "number",
  "string",
  "comment",
  "type",
  "enumMember",
] as const;
const TOKEN_MODIFIERS = ["declaration", "defaultLibrary"] as const;

type TokenType = (typeof TOKEN_TYPES)[number];
type TokenModifier = (typeof TOKEN_MODIFIERS)[number];

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] };

/** How each kind of declared name is coloured. */
const NAME_TYPES: Record<DeclaredKind, TokenType> = {
  data: "namespace",
  model: "class",
  layer: "variable",
  task: "event",
  target: "property",
};

const DECLARATION: readonly TokenModifier[] = ["declaration"];
/** Vocabulary from the catalog rather than from this spec. */
const LIBRARY: readonly TokenModifier[] = ["defaultLibrary"];

interface Token {
  span: Span;
  type: TokenType;
  modifiers: readonly TokenModifier[];
}

/** Semantic colouring from the checked AST, so a word is coloured by what it names rather than how it looks. */
export const semanticTokensFeature: Feature = {
  capabilities: { semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true, range: true } },
  register(context) {
    const tokensOf = (uri: string, within?: Span): SemanticTokens => {
      const analysis = context.analysisOf(uri);
      return analysis ? semanticTokens(analysis, within) : { data: [] };
    };
    context.connection.languages.semanticTokens.on(({ textDocument }) => tokensOf(textDocument.uri));
    context.connection.languages.semanticTokens.onRange(({ textDocument, range }) => {
      const lines = context.analysisOf(textDocument.uri)?.lines;
      return tokensOf(textDocument.uri, lines && { start: lines.offset(range.start), end: lines.offset(range.end) });
    });
  },
};

/** The document's tokens (those overlapping `within`, when given), in time linear in its size. */
export function semanticTokens(analysis: Analysis, within?: Span): SemanticTokens {
  return { data: encode(analysis, classify(analysis), within) };
}

function classify(analysis: Analysis): Token[] {
  const tokens: Token[] = [];
  const push = (span: Span, type: TokenType, ...modifiers: TokenModifier[]) => {
    if (span.end > span.start) tokens.push({ span, type, modifiers });
  };
  // By start, so the names inside one word are found by binary search rather than a scan of all of them.
  const occurrences = declaredNameHits(analysis.program.symbols);
  const spanKey = (span: Span) => `${span.start}:${span.end}`;
  const exact = new Map(occurrences.map((o) => [spanKey(o.span), o]));
  const occurrenceOf = (id: A.Identifier) => exact.get(spanKey(id.span));
  const pushOccurrence = (o: SymbolHit) => push(o.span, NAME_TYPES[o.declaration.kind as DeclaredKind], ...(o.isDeclaration ? DECLARATION : []));

  /** A declared name where the grammar puts one; its kind comes from the index when it resolved. */
  const name = (id: A.Identifier | undefined, fallback: TokenType, ...modifiers: TokenModifier[]) => {
    if (!id) return;
    const found = occurrenceOf(id);
    if (found) pushOccurrence(found);
    else push(id.span, fallback, ...modifiers);
  };

  /**
   * One word of a reference: a declared name, a member (`kernel`), catalog
   * vocabulary, or otherwise `unknown`: a value word in an argument
   * (`val_loss`, a column), an unresolved name where a reference goes.
   */
  const segment = (id: A.Identifier, index: number, unknown: TokenType) => {
    const found = occurrenceOf(id);
    if (found) return pushOccurrence(found);
    const type: TokenType = index > 0 ? "property" : isCatalogCallable(id.name) ? "function" : isCatalogWord(id.name) ? "enumMember" : unknown;
    const modifiers = type === "function" ? LIBRARY : [];
    const inner = occurrencesWithin(occurrences, id.span);
    let at = id.span.start;
    // A metric such as `val_economy_loss` names a task in its middle.
    for (const o of inner) {
      push({ start: at, end: o.span.start }, type, ...modifiers);
      pushOccurrence(o);
      at = o.span.end;
    }
    push({ start: at, end: id.span.end }, type, ...modifiers);
  };

  const expr = (e: A.Expr | undefined, unknown: TokenType): void => {
    switch (e?.kind) {
      case "Number": {
        const unit = e.unit?.length ?? 0;
        push({ start: e.span.start, end: e.span.end - unit }, "number");
        push({ start: e.span.end - unit, end: e.span.end }, "type");
        break;
      }
      case "String":
        push(e.span, "string");
        break;
      case "Bool":
        push(e.span, "keyword");
        break;
      case "Ref":
        e.segments.forEach((id, index) => segment(id, index, unknown));
        break;
      case "List":
        e.items.forEach((item) => expr(item, unknown));
        break;
      case "Call":
        call(e);
        break;
    }
  };
  const args = (list: readonly A.Arg[]) => {
    for (const arg of list) {
      if (arg.form === "binding") name(arg.name, "property", "declaration");
      else if (arg.name) push(arg.name.span, "parameter");
      expr(arg.value, "enumMember");
    }
  };
  const call = (c: A.CallExpr) => {
    push(c.callee.span, "function", ...(isCatalogCallable(c.callee.name) ? LIBRARY : []));
    args(c.args);
  };
  const statement = (s: A.Statement) => {
    if (s.kind === "Setting") {
      push(s.keyword.span, "property", ...(isCatalogWord(s.keyword.name) ? LIBRARY : []));
      args(s.args);
      return;
    }
    name(s.name, "variable", "declaration");
    call(s.call);
    for (const clause of s.clauses) {
      push(clause.keywordSpan, "keyword");
      clause.targets.forEach((target) => expr(target, "variable"));
    }
  };

  for (const block of analysis.ast.blocks) {
    push(block.keyword, "keyword");
    switch (block.kind) {
      case "DataBlock":
        name(block.name, "namespace", "declaration");
        break;
      case "ModelBlock":
        name(block.name, "class", "declaration");
        expr(block.input, "variable");
        break;
      case "TaskDecl":
        name(block.name, "event", "declaration");
        if (block.call) call(block.call);
        break;
      case "TrainBlock":
        name(block.name, "namespace", "declaration");
        break;
      case "RegularizeBlock":
        name(block.target, "class");
        break;
    }
    if (block.kind !== "TaskDecl") block.body.forEach(statement);
  }
  for (const comment of analysis.ast.comments) push(comment.span, "comment");
  return tokens;
}

/** The occurrences inside `span`, from a list sorted by start. */
function occurrencesWithin(sorted: readonly SymbolHit[], span: Span): SymbolHit[] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]!.span.start < span.start) lo = mid + 1;
    else hi = mid;
  }
  const inner: SymbolHit[] = [];
  for (let i = lo; i < sorted.length && sorted[i]!.span.start < span.end; i++) {
    if (sorted[i]!.span.end <= span.end) inner.push(sorted[i]!);
  }
  return inner;
}

/**
 * The LSP wire format: five integers per token (line delta, start delta —
 * relative to the previous token on the same line — length, type, modifier
 * bits). A token may not cross a line, so block comments go out one line at a time.
 */
function encode(analysis: Analysis, tokens: Token[], within: Span | undefined): number[] {
  const { lines } = analysis;
  const data: number[] = [];
  let previousLine = 0;
  let previousChar = 0;
  let covered = 0;
  for (const token of tokens.sort((a, b) => a.span.start - b.span.start)) {
    // Recovery can leave two nodes over the same text; the first one wins.
    if (token.span.start < covered) continue;
    covered = token.span.end;
    if (within && (token.span.end <= within.start || token.span.start >= within.end)) continue;
    const type = TOKEN_TYPES.indexOf(token.type);
    const modifiers = token.modifiers.reduce((bits, m) => bits | (1 << TOKEN_MODIFIERS.indexOf(m)), 0);
    const first = lines.position(token.span.start).line;
    const last = lines.position(token.span.end).line;
    for (let line = first; line <= last; line++) {
      const start = Math.max(token.span.start, lines.lineStart(line));
      const end = Math.min(token.span.end, lines.lineEnd(line));
      if (end <= start) continue;
      const character = start - lines.lineStart(line);
      data.push(line - previousLine, line === previousLine ? character - previousChar : character, end - start, type, modifiers);
      previousLine = line;
      previousChar = character;
    }
  }
  return data;
}
