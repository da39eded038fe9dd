import { InlayHintKind, type InlayHint } from "vscode-languageserver";
import type { Analysis } from "./analysis.js";
import type { Feature } from "./feature.js";
import { toOffset } from "./positions.js";
import { layerHintLabel, paramsText } from "./program-markdown.js";

/** At the end of each layer line of a model: the layer's output shape and parameter count. */
export function layerHints(analysis: Analysis, from: number, to: number): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const model of analysis.program.models.values()) {
    for (const layer of model.layers) {
      const label = layerHintLabel(layer);
      const at = layer.statement.span.end;
      if (!label || at < from || at > to) continue;
      const hint: InlayHint = { position: analysis.lines.position(at), label, kind: InlayHintKind.Type, paddingLeft: true };
      if (layer.paramCount > 0) hint.tooltip = paramsText(layer);
      hints.push(hint);
    }
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

export const inlayHintsFeature: Feature = {
  capabilities: { inlayHintProvider: true },
  register({ connection, analyses, analysisOf, clientCapabilities }) {
    // Shapes and parameter counts follow the data's columns, which may change without an edit.
    analyses.onStale(() => {
      if (clientCapabilities().workspace?.inlayHint?.refreshSupport) connection.languages.inlayHint.refresh().catch(() => undefined);
    });
    connection.languages.inlayHint.on(({ textDocument, range }) => {
      const analysis = analysisOf(textDocument.uri);
      if (!analysis) return null;
      return layerHints(analysis, toOffset(analysis.lines, range.start), toOffset(analysis.lines, range.end));
    });
  },
};
