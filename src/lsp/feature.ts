import type { ClientCapabilities, Connection, ServerCapabilities, TextDocuments } from "vscode-languageserver";
import type { TextDocument } from "vscode-languageserver-textdocument";
import type { Analysis, AnalysisCache, CheckedAnalysis } from "./analysis.js";

export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  analyses: AnalysisCache;
  /** What the client said it supports, once it has initialized. */
  clientCapabilities(): ClientCapabilities;
  /** The current version of an open document checked in full, or undefined when it is not open. */
  analysisOf(uri: string): CheckedAnalysis | undefined;
  /**
   * The current version of an open document for answers while typing: its
   * parse, with the last check's program re-bound where it was edited, so
   * no request waits for a whole check.
   */
  latestAnalysisOf(uri: string): Analysis | undefined;
}

/** One LSP feature: the capabilities it announces and the handlers it installs. */
export interface Feature {
  /** Fixed, or chosen by what the client says it supports. */
  capabilities: ServerCapabilities | ((client: ClientCapabilities) => ServerCapabilities);
  register(context: FeatureContext): void;
}
