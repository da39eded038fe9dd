import { DiagnosticSeverity, DocumentDiagnosticReportKind, type Diagnostic as LspDiagnostic } from "vscode-languageserver";
import type { Diagnostic } from "../compiler/index.js";
import { tooLargeToAnalyse, type Analysis, type CheckedAnalysis } from "./analysis.js";
import { SPEC_BYTE_LIMIT, SPEC_SIZE_LIMIT_TEXT } from "../shared/spec-size.js";
import { groupedDigits } from "../shared/grouped-digits.js";
import type { Feature } from "./feature.js";
import { toRange } from "./positions.js";

/** How long typing must pause before diagnostics are recomputed and pushed. */
export const DIAGNOSTICS_DELAY_MS = 150;

/**
 * The checker's diagnostics, pushed after typing pauses — or, to a client
 * that pulls them (LSP 3.17), answered when asked. Pushing to a client that
 * pulls would show each diagnostic twice. When a document's check goes
 * stale without an edit (a data file or the allowed folders changed), a
 * pushing client is sent its diagnostics again, and a pulling one asked to
 * pull again.
 */
export const diagnosticsFeature: Feature = {
  capabilities: { diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } },
  register({ connection, documents, analyses, analysisOf, clientCapabilities }) {
    const pending = new Map<string, NodeJS.Timeout>();
    const clientPulls = () => clientCapabilities().textDocument?.diagnostic !== undefined;

    /** The document's diagnostics, or the one saying it is too large to analyse. */
    const diagnosticsOf = (uri: string): LspDiagnostic[] | undefined => {
      const analysis = analysisOf(uri);
      if (analysis) return toLspDiagnostics(analysis);
      const document = documents.get(uri);
      return document && tooLargeToAnalyse(document) ? [tooLargeDiagnostic(Buffer.byteLength(document.getText(), "utf8"))] : undefined;
    };

    connection.languages.diagnostics.on(({ textDocument }) => ({ kind: DocumentDiagnosticReportKind.Full, items: diagnosticsOf(textDocument.uri) ?? [] }));

    const publish = (uri: string) => {
      pending.delete(uri);
      const version = documents.get(uri)?.version;
      const diagnostics = diagnosticsOf(uri);
      if (!diagnostics || clientPulls()) return;
      void connection.sendDiagnostics({ uri, version, diagnostics });
    };
    const publishAfterPause = (uri: string) => {
      clearTimeout(pending.get(uri));
      pending.set(uri, setTimeout(() => publish(uri), DIAGNOSTICS_DELAY_MS));
    };
    documents.onDidOpen(({ document }) => publish(document.uri));
    documents.onDidChangeContent(({ document }) => publishAfterPause(document.uri));
    analyses.onStale((uris) => {
      if (!clientPulls()) {
        for (const uri of uris) if (documents.get(uri)) publishAfterPause(uri);
      } else if (clientCapabilities().workspace?.diagnostics?.refreshSupport) {
        // A refusal changes nothing: the client's next pull is answered fresh all the same.
        connection.languages.diagnostics.refresh().catch(() => undefined);
      }
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

/** An error, as `regc check` in CI fails on the same spec. */
function tooLargeDiagnostic(bytes: number): LspDiagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: "regc",
    // In bytes, exactly: a spec just past the limit would read as the limit itself in rounded megabytes.
    message: `This spec is ${groupedDigits(bytes)} bytes, larger than ${SPEC_SIZE_LIMIT_TEXT} (${groupedDigits(SPEC_BYTE_LIMIT)} bytes), the most a spec may be: \`regc check\` refuses it too, and the editor shows no diagnostics, colours or completions in it. Split it into several specs.`,
  };
}

/** The same diagnostics as `regc check`, in LSP form. */
export function toLspDiagnostics(analysis: CheckedAnalysis): LspDiagnostic[] {
  return analysis.diagnostics.map((d) => toLspDiagnostic(analysis, d));
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
