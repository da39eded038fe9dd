import type { Location } from "vscode-languageserver";
import type { Feature } from "./feature.js";
import { toRange } from "./positions.js";
import { symbolAt } from "./symbol-at.js";

/** Find references: every use of the name under the cursor, with its declaration when asked. */
export const referencesFeature: Feature = {
  capabilities: { referencesProvider: true },
  register(context) {
    context.connection.onReferences(({ textDocument, position, context: options }): Location[] => {
      const found = symbolAt(context, textDocument.uri, position);
      if (!found) return [];
      const { analysis } = found;
      return found.occurrences
        .filter((o) => options.includeDeclaration || !o.isDeclaration)
        .map((o) => ({ uri: analysis.uri, range: toRange(analysis.lines, o.span) }));
    });
  },
};
