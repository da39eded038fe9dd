import type { Location } from "vscode-languageserver";
import type { Feature } from "./feature.js";
import { toRange } from "./positions.js";
import { symbolAt } from "./symbol-at.js";

/**
 * Find references: every use of the name under the cursor, with its
 * declaration when asked, and the globs that match a layer (`h*.kernel`),
 * which use it without naming it.
 */
export const referencesFeature: Feature = {
  capabilities: { referencesProvider: true },
  register(context) {
    context.connection.onReferences(({ textDocument, position, context: options }): Location[] => {
      const found = symbolAt(context, textDocument.uri, position);
      if (!found) return [];
      const { analysis } = found;
      const named = found.occurrences.filter((o) => options.includeDeclaration || !o.isDeclaration).map((o) => o.span);
      const globs = analysis.program.symbols.globsMatching(found.target.declaration).map((glob) => glob.span);
      return [...named, ...globs].sort((a, b) => a.start - b.start).map((span) => ({ uri: analysis.uri, range: toRange(analysis.lines, span) }));
    });
  },
};
