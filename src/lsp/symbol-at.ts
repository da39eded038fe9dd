import type { Position } from "vscode-languageserver";
import type { SymbolHit, SymbolKind, SymbolTable } from "../compiler/binder/symbols.js";
import type { CheckedAnalysis } from "./analysis.js";
import type { FeatureContext } from "./feature.js";
import { toOffset } from "./positions.js";

/**
 * The kinds of names a spec declares by writing them, which navigation,
 * rename and name colouring act on. Parameters, columns and metrics are
 * named by a layer's kind, a data file or the run, and splits by the
 * language's own words (`train`, `val`, `test`), so none of them is renamed.
 */
export type DeclaredKind = "data" | "model" | "layer" | "task" | "target";

const DECLARED_KINDS: ReadonlySet<SymbolKind> = new Set<DeclaredKind>(["data", "model", "layer", "task", "target"]);

export function isDeclaredName(hit: SymbolHit): boolean {
  return DECLARED_KINDS.has(hit.declaration.kind);
}

/** Every declaration and reference of a declared name, in source order. */
export function declaredNameHits(symbols: SymbolTable): SymbolHit[] {
  const declarations = symbols.declarations.flatMap((declaration) => (declaration.span ? [{ declaration, span: declaration.span, isDeclaration: true }] : []));
  const references = symbols.references.map(({ declaration, span }) => ({ declaration, span, isDeclaration: false }));
  return [...declarations, ...references].filter(isDeclaredName).sort((a, b) => a.span.start - b.span.start);
}

/** The declared name under the cursor and every occurrence of it in the same document. */
export interface SymbolAt {
  analysis: CheckedAnalysis;
  target: SymbolHit;
  occurrences: SymbolHit[];
}

export function symbolAt(context: FeatureContext, uri: string, position: Position): SymbolAt | undefined {
  const analysis = context.analysisOf(uri);
  if (!analysis) return undefined;
  const { symbols } = analysis.program;
  const target = symbols.at(toOffset(analysis.lines, position));
  return target && isDeclaredName(target) ? { analysis, target, occurrences: symbols.occurrencesOf(target.declaration) } : undefined;
}
