import { DiagnosticSeverity, DocumentDiagnosticReportKind, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Diagnostic } from "../compiler/index.js";
import type { Analysis } from "./analysis.js";
import type { Feature } from "./feature.js";
import { toRange } from "./positions.js";

/** How long typing must pause before diagnostics are recomputed and pushed. */
export const DIAGNOSTICS_DELAY_MS = 150;

/**
 * The checker's diagnostics, pushed after typing pauses — or, to a client
 * that pulls them (LSP 3.17), answered when asked. Pushing to a client that
 * pulls would show each diagnostic twice.
 */
export const diagnosticsFeature: Feature = {
  capabilities: { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } },
  register({ connection, documents, analysisOf, clientCapabilities }) {
    const pending = new Map<string, NodeJS.Timeout>();
    const clientPulls = () => clientCapabilities().textDocument?.diagnostic !== undefined;

    connection.languages.diagnostics.on(({ textDocument }) => {
      const analysis = analysisOf(textDocument.uri);
      return { kind: DocumentDiagnosticReportKind.Full, items: analysis ? toLspDiagnostics(analysis) : [] };
    });

    const publish = (uri: string) => {
      pending.delete(uri);
      const analysis = analysisOf(uri);
      if (!analysis || clientPulls()) return;
      void connection.sendDiagnostics({ uri, version: analysis.version, diagnostics: toLspDiagnostics(analysis) });
    };
    documents.onDidOpen(({ document }) => publish(document.uri));
    documents.onDidChangeContent(({ document }) => {
      clearTimeout(pending.get(document.uri));
      pending.set(document.uri, setTimeout(() => publish(document.uri), DIAGNOSTICS_DELAY_MS));
    });
    documents.onDidClose(({ document }) => {
      clearTimeout(pending.get(document.uri));
      pending.delete(document.uri);
      if (!clientPulls()) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
    });
  },
};

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
