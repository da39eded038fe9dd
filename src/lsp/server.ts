import { MessageType, ShowMessageNotification, TextDocuments, TextDocumentSyncKind, type ClientCapabilities, type Connection, type InitializeResult } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { AnalysisCache } from "./analysis.js";
import type { FeatureContext } from "./feature.js";
import { FEATURES } from "./features.js";
import { editorConnection } from "./transport.js";
import { runWhenIdle } from "./warm-up.js";
import { engineCollector, IdleCollection } from "./idle-collection.js";
import { DIAGNOSTICS_DELAY_MS } from "./diagnostics.js";
import { DataFileWatch } from "./data-watch.js";
import { configuredAllowedFolders, initialAllowedFolders } from "./allow-data-settings.js";

/**
 * The `.reg` language server: the compiler's own lexer, parser, catalog and
 * checker behind the Language Server Protocol. Each feature lives in its own
 * file and registers its handlers here.
 */
export function startServer(connection: Connection = editorConnection()): void {
  const documents = new TextDocuments(TextDocument);
  const idle = new IdleCollection(engineCollector(), DIAGNOSTICS_DELAY_MS / 2);
  const analyses = new AnalysisCache(() => idle.afterCheck());
  let clientCapabilities: ClientCapabilities = {};
  // The protocol lets a server show messages while it answers `initialize`, before anything else.
  const warn = (ignored: readonly string[]) => ignored.forEach((message) => void connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message }));
  const dataFiles = new DataFileWatch(connection, () => clientCapabilities, analyses);

  connection.onInitialize((params): InitializeResult => {
    clientCapabilities = params.capabilities;
    const { folders, ignored } = initialAllowedFolders(params.initializationOptions);
    warn(ignored);
    analyses.allowData(folders);
    return {
      capabilities: Object.assign({ textDocumentSync: TextDocumentSyncKind.Incremental }, ...FEATURES.map((f) => (typeof f.capabilities === "function" ? f.capabilities(params.capabilities) : f.capabilities))),
      serverInfo: { name: "regc" },
    };
  });

  const context: FeatureContext = {
    connection,
    documents,
    analyses,
    clientCapabilities: () => clientCapabilities,
    analysisOf: (uri) => {
      const document = documents.get(uri);
      return document && analyses.checked(document);
    },
    latestAnalysisOf: (uri) => {
      const document = documents.get(uri);
      return document && analyses.latest(document);
    },
  };
  for (const feature of FEATURES) feature.register(context);
  // Once per server: the engine's compiled code serves every document after.
  let warmedUp = false;
  documents.onDidOpen(({ document }) => {
    if (warmedUp) return;
    warmedUp = true;
    runWhenIdle(analyses.warmUpSteps(document));
  });
  documents.onDidChangeContent(() => idle.edited());
  documents.onDidClose(({ document }) => analyses.forget(document.uri));
  connection.onInitialized(() => dataFiles.watch(analyses.allowedFolders));
  connection.onDidChangeConfiguration(({ settings }) => {
    const configured = configuredAllowedFolders(settings);
    if (configured === undefined) return;
    warn(configured.ignored);
    analyses.allowData(configured.folders);
    dataFiles.watch(analyses.allowedFolders);
  });

  documents.listen(connection);
  connection.listen();
}
