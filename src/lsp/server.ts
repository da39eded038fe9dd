import { TextDocuments, TextDocumentSyncKind, type ClientCapabilities, type Connection, type InitializeResult } from "vscode-languageserver/node";
import { TextDocument } from "vscode-languageserver-textdocument";
import { AnalysisCache } from "./analysis.js";
import type { FeatureContext } from "./feature.js";
import { FEATURES } from "./features.js";
import { editorConnection } from "./transport.js";

/**
 * The `.reg` language server: the compiler's own lexer, parser, catalog and
 * checker behind the Language Server Protocol. Each feature lives in its own
 * file and registers its handlers here.
 */
export function startServer(connection: Connection = editorConnection()): void {
  const documents = new TextDocuments(TextDocument);
  const analyses = new AnalysisCache();
  let clientCapabilities: ClientCapabilities = {};

  connection.onInitialize((params): InitializeResult => {
    clientCapabilities = params.capabilities;
    return {
      capabilities: Object.assign({ textDocumentSync: TextDocumentSyncKind.Incremental }, ...FEATURES.map((f) => f.capabilities)),
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
      return document && analyses.get(document);
    },
  };
  for (const feature of FEATURES) feature.register(context);
  documents.onDidClose(({ document }) => analyses.forget(document.uri));

  documents.listen(connection);
  connection.listen();
}
