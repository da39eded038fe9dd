import type { ClientCapabilities, Connection, ServerCapabilities, TextDocuments } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Analysis, AnalysisCache } from "./analysis.js";

export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analyses: AnalysisCache;
  /** What the client said it supports, once it has initialized. */
  clientCapabilities(): ClientCapabilities;
  /** The current analysis of an open document, or undefined when it is not open. */
  analysisOf(uri: string): Analysis | undefined;
}

/** One LSP feature: the capabilities it announces and the handlers it installs. */
export interface Feature {
  capabilities: ServerCapabilities;
  register(context: FeatureContext): void;
}
