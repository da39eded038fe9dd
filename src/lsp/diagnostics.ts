import { DiagnosticSeverity, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Diagnostic } from "../compiler/index.js";
import type { Analysis } from "./analysis.js";
import { toRange } from "./positions.js";

/** Where each code's long explanation lives; the editor links the code there. */
export const DIAGNOSTICS_DOC_URL = "https://github.com/reglang/reglang/blob/main/docs/diagnostics.md";

const SEVERITY = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
} as const;

/** The same diagnostics as `regc check`, in LSP form. */
export function toLspDiagnostics(analysis: Analysis): LspDiagnostic[] {
  return analysis.result.diagnostics.map((d) => toLspDiagnostic(analysis, d));
}

export function toLspDiagnostic(analysis: Analysis, d: Diagnostic): LspDiagnostic {
  const diagnostic: LspDiagnostic = {
    range: toRange(analysis.lines, d.span),
    severity: SEVERITY[d.severity],
    code: d.code,
    codeDescription: { href: `${DIAGNOSTICS_DOC_URL}#${d.code.toLowerCase()}` },
    source: "regc",
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
  };
  if (d.related?.length) {
    diagnostic.relatedInformation = d.related.map((r) => ({
      location: { uri: analysis.uri, range: toRange(analysis.lines, r.span) },
      message: r.message,
    }));
  }
  return diagnostic;
}
