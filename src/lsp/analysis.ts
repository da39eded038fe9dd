import { fileURLToPath } from "node:url";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { check, ChunkCache, LineIndex, type CheckResult } from "../compiler/index.js";
import type { DataAccess } from "../compiler/sources/index.js";

/** One checked version of a document: what every feature reads. */
export interface Analysis {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  result: CheckResult;
}

/**
 * The largest document analysed, in characters. Checking takes time in
 * proportion to the text, and the server answers one request at a time: a
 * bigger document would hold every other request up for seconds. Past it,
 * features answer nothing and one diagnostic says why.
 */
export const MAX_ANALYSED_CHARS = 1024 * 1024;

/** Whether a document is past the size the server analyses. */
export function tooLargeToAnalyse(document: TextDocument): boolean {
  return document.getText().length > MAX_ANALYSED_CHARS;
}

/**
 * Checks each document version once; every request on that version reuses
 * the result. Only the latest version of each document is kept, and
 * nothing of a closed one.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, Analysis>();
  /** Per document: its parsed chunks, so a keystroke re-parses only the block it is in. */
  private readonly chunks = new Map<string, ChunkCache>();
  private dataAccess: DataAccess = { allowedFolders: [] };

  /** Folders the user's settings allow data to be read from; every document is checked again under them. */
  allowData(folders: readonly string[]): void {
    this.dataAccess = { allowedFolders: folders };
    this.entries.clear();
  }

  /** The document's analysis; undefined when it is too large to analyse. */
  get(document: TextDocument): Analysis | undefined {
    if (tooLargeToAnalyse(document)) {
      this.forget(document.uri);
      return undefined;
    }
    const cached = this.entries.get(document.uri);
    if (cached && cached.version === document.version) return cached;
    const text = document.getText();
    const path = specPath(document.uri);
    const analysis: Analysis = {
      uri: document.uri,
      version: document.version,
      text,
      lines: new LineIndex(text),
      result: check(text, { ...(path ? { path } : {}), parseCache: this.chunksOf(document.uri), dataAccess: this.dataAccess }),
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
