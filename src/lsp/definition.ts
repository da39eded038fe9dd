import type { Location } from "vscode-languageserver";
import type { Feature } from "./feature.js";
import { toRange } from "./positions.js";
import { symbolAt } from "./symbol-at.js";

/** Go to definition: from any use of a data, model, layer, task or target name to where it is declared. */
export const definitionFeature: Feature = {
  capabilities: { definitionProvider: true },
  register(context) {
    context.connection.onDefinition(({ textDocument, position }): Location | null => {
      const found = symbolAt(context, textDocument.uri, position);
      // A duplicate declaration is an error; the first one is the one the checker kept.
      const declaration = found?.occurrences.find((o) => o.isDeclaration);
      if (!found || !declaration) return null;
      return { uri: found.analysis.uri, range: toRange(found.analysis.lines, declaration.span) };
    });
  },
};
