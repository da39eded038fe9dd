import type { Position } from "vscode-languageserver";
import type { Analysis } from "./analysis.js";
import type { FeatureContext } from "./feature.js";
import { namesOf, occurrenceAt, occurrencesOf, type Occurrence } from "./name-index.js";
import { toOffset } from "./positions.js";

/** The declared name under the cursor and every occurrence of it in the same document. */
export interface SymbolAt {
  analysis: Analysis;
  target: Occurrence;
  occurrences: Occurrence[];
}

export function symbolAt(context: FeatureContext, uri: string, position: Position): SymbolAt | undefined {
  const analysis = context.analysisOf(uri);
  if (!analysis) return undefined;
  const names = namesOf(analysis);
  const target = occurrenceAt(names, toOffset(analysis.lines, position));
  return target && { analysis, target, occurrences: occurrencesOf(names, target) };
}
