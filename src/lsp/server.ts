import {
  createConnection,
  DocumentDiagnosticReportKind,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { AnalysisCache } from "./analysis.js";
import { toLspDiagnostics } from "./diagnostics.js";
import type { FeatureContext } from "./feature.js";
import { FEATURES } from "./features.js";

/** How long typing must pause before diagnostics are recomputed and pushed. */
export const DIAGNOSTICS_DELAY_MS = 150;

/**
 * The `.reg` language server: the compiler's own lexer, parser, catalog and
 * checker behind the Language Server Protocol. Each feature lives in its own
 * file and registers its handlers here.
 */
export function startServer(connection: Connection = createConnection(ProposedFeatures.all)): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new AnalysisCache();
  const pending = new Map<string, NodeJS.Timeout>();

  // A client that pulls diagnostics (LSP 3.17) asks when it wants them; pushing too would show each twice.
  let clientPulls = false;
  connection.onInitialize((params): InitializeResult => {
    clientPulls = params.capabilities.textDocument?.diagnostic !== undefined;
    return {
      capabilities: Object.assign(
        { textDocumentSync: TextDocumentSyncKind.Incremental, diagnosticProvider: { interFileDependencies: false, workspaceDiagnostics: false } },
        ...FEATURES.map((f) => f.capabilities),
      ),
      serverInfo: { name: "regc" },
    };
  });

  const context: FeatureContext = {
    connection,
    documents,
    analyses,
    analysisOf: (uri) => {
      const document = documents.get(uri);
      return document && analyses.get(document);
    },
  };
  for (const feature of FEATURES) feature.register(context);

  connection.languages.diagnostics.on(({ textDocument }) => {
    const analysis = context.analysisOf(textDocument.uri);
    return { kind: DocumentDiagnosticReportKind.Full, items: analysis ? toLspDiagnostics(analysis) : [] };
  });

  const publish = (uri: string) => {
    pending.delete(uri);
    const document = documents.get(uri);
    if (!document || clientPulls) return;
    void connection.sendDiagnostics({ uri, version: document.version, diagnostics: toLspDiagnostics(analyses.get(document)) });
  };

  documents.onDidOpen(({ document }) => publish(document.uri));
  documents.onDidChangeContent(({ document }) => {
    clearTimeout(pending.get(document.uri));
    pending.set(document.uri, setTimeout(() => publish(document.uri), DIAGNOSTICS_DELAY_MS));
  });
  documents.onDidClose(({ document }) => {
    clearTimeout(pending.get(document.uri));
    pending.delete(document.uri);
    analyses.forget(document.uri);
    if (!clientPulls) void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
  });

  documents.listen(connection);
  connection.listen();
}
