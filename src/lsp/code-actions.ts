import { CodeActionKind, type CodeAction, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Diagnostic } from "../compiler/index.js";
import type { Analysis, CheckedAnalysis } from "./analysis.js";
import type { Feature } from "./feature.js";
import { toRange } from "./positions.js";

/** Every compiler fix, offered as a quick fix on the diagnostic that carries it. */
export const codeActionsFeature: Feature = {
  capabilities: { codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] } },
  register(context) {
    context.connection.onCodeAction(({ textDocument, context: request }): CodeAction[] => {
      const analysis = context.analysisOf(textDocument.uri);
      const wanted = !request.only || request.only.some((kind) => CodeActionKind.QuickFix.startsWith(kind));
      if (!analysis || !wanted) return [];
      return request.diagnostics.flatMap((shown) =>
        analysis.diagnostics.filter((d) => d.fix && matches(analysis, d, shown)).map((d) => quickFix(analysis, d, shown)),
      );
    });
  },
};

/** The editor echoes back what was published: the same code at the same range. */
function matches(analysis: Analysis, diagnostic: Diagnostic, shown: LspDiagnostic): boolean {
  const range = toRange(analysis.lines, diagnostic.span);
  return (
    shown.code === diagnostic.code &&
    shown.range.start.line === range.start.line &&
    shown.range.start.character === range.start.character &&
    shown.range.end.line === range.end.line &&
    shown.range.end.character === range.end.character
  );
}

function quickFix(analysis: Analysis, diagnostic: Diagnostic, shown: LspDiagnostic): CodeAction {
  const fix = diagnostic.fix!;
  return {
    title: fix.title,
    kind: CodeActionKind.QuickFix,
    diagnostics: [shown],
    // A did-you-mean correction is almost always what was meant: editors apply it with one key.
    isPreferred: diagnostic.hint?.startsWith("did you mean") ?? false,
    edit: { changes: { [analysis.uri]: fix.edits.map((e) => ({ range: toRange(analysis.lines, e.span), newText: e.newText })) } },
  };
}
