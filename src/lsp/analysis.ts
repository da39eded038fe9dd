import { fileURLToPath } from "node:url";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { check, ChunkCache, LineIndex, type CheckResult } from "../compiler/index.js";

/** One checked version of a document: what every feature reads. */
export interface Analysis {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  result: CheckResult;
}

/**
 * Checks each document version once; every request on that version reuses
 * the result. Only the latest version of each document is kept.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();
  /** Per document: its parsed chunks, so a keystroke re-parses only the block it is in. */
  private readonly chunks = new Map<string, ChunkCache>();

  get(document: TextDocument): Analysis {
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const path = specPath(document.uri);
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      text,
      lines: new LineIndex(text),
      result: check(text, { ...(path ? { path } : {}), parseCache: this.chunksOf(document.uri) }),
    };
    this.entries.set(document.uri, analysis);
    return analysis;
  }

  forget(uri: string): void {
    this.entries.delete(uri);
    this.chunks.delete(uri);
  }

  private chunksOf(uri: string): ChunkCache {
    let cache = this.chunks.get(uri);
    if (!cache) {
      cache = new ChunkCache();
      this.chunks.set(uri, cache);
    }
    return cache;
  }
}

/** The file path behind a `file:` URI, so data paths resolve beside the spec. */
function specPath(uri: string): string | undefined {
  try {
    return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
