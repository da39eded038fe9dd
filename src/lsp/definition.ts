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
      // A duplicate declaration is an error the checker reports; references resolve to the first.
      const span = found?.target.declaration.span;
      if (!found || !span) return null;
      return { uri: found.analysis.uri, range: toRange(found.analysis.lines, span) };
    });
  },
};
