import { fileURLToPath } from "node:url";
import type { TextDocument } from "vscode-languageserver-textdocument";
import { check, parse, BlockCheckCache, ChunkCache, LineIndex, type Diagnostic } from "../compiler/index.js";
import { rebind } from "../compiler/checker/rebind.js";
import type { Program } from "../compiler/checker/program.js";
import type { SpecFile } from "../compiler/syntax/ast.js";
import type { DataAccess } from "../compiler/sources/index.js";
import { warmUpSteps } from "./warm-up.js";
import { dataFilesLookedAt } from "./data-files.js";
import { SPEC_BYTE_LIMIT, specBytes } from "../shared/spec-size.js";

/** Chunks of blocks that `rebind` carries over as checked, whatever the edit: a `regularize` or `tune` block's. */
const NOT_REBOUND = /^(?:regularize|tune)(?![A-Za-z0-9_*])/;

/** One version of a document as features read it: its text, its parse and a program bound for it. */
export interface Analysis {
  uri: string;
  version: number;
  text: string;
  lines: LineIndex;
  ast: SpecFile;
  program: Program;
}

/** A version checked in full: every diagnostic of it. */
export interface CheckedAnalysis extends Analysis {
  diagnostics: Diagnostic[];
}

/**
 * Whether a document is past the size of a spec, which `regc check` refuses
 * too. Checking takes time in proportion to the text, and the server answers
 * one request at a time: a bigger document would hold every other request up
 * for seconds. Past it, features answer nothing and one diagnostic says why.
 */
export function tooLargeToAnalyse(document: TextDocument): boolean {
  return specBytes(document.getText()) > SPEC_BYTE_LIMIT;
}

/**
 * Checks each document version at most once; every request on that version
 * reuses the result. A check re-parses only the blocks an edit touched and
 * binds again only those and the blocks that read them. Requests made while
 * typing (completion, hover, signature help) need not wait for a whole
 * check: they read the latest version's parse with the last check's
 * program, in which only the blocks edited since are bound again. Only the
 * latest versions of each document are kept, and nothing of a closed one.
 */
export class AnalysisCache {
  private readonly checkedVersions = new Map<string, CheckedAnalysis>();
  private readonly typedVersions = new Map<string, Analysis>();
  /**
   * Per document: its parsed chunks, so a keystroke re-parses only the block
   * it is in, and each block's part of the last check, so a check after a
   * keystroke binds again only what the edit affects.
   */
  private readonly reuse = new Map<string, { chunks: ChunkCache; blockChecks: BlockCheckCache }>();
  private dataAccess: DataAccess = { allowedFolders: [] };
  private readonly staleListeners: Array<(uris: readonly string[]) => void> = [];
  /** Per document: the data files its last check read or looked for. */
  private readonly dataFilesOf = new Map<string, readonly string[]>();
  private readonly dataFilesListeners: Array<(files: readonly string[]) => void> = [];

  /** `afterCheck` runs after each check of a version, for work best done once the server is idle (see idle-collection.ts). */
  constructor(private readonly afterCheck: () => void = () => {}) {}

  /**
   * `listener` hears which documents' checks were dropped, though their text
   * is the same, because what they read changed: the answers it gave the
   * editor for them may be out of date.
   */
  onStale(listener: (uris: readonly string[]) => void): void {
    this.staleListeners.push(listener);
  }

  /** `listener` hears every data file the open documents' checks read or looked for, each time that set changes. */
  onDataFilesRead(listener: (files: readonly string[]) => void): void {
    this.dataFilesListeners.push(listener);
  }

  /** Folders the user's settings allow data to be read from; when they change, every document is checked again under them. */
  allowData(folders: readonly string[]): void {
    if (samePaths(folders, this.dataAccess.allowedFolders)) return;
    this.dataAccess = { allowedFolders: folders };
    this.drop([...this.reuse.keys()]);
  }

  get allowedFolders(): readonly string[] {
    return this.dataAccess.allowedFolders;
  }

  /** Files that changed on disk: the documents whose checks read them, or looked for them, are checked again. */
  dataFilesChanged(paths: readonly string[]): void {
    const changed = new Set(paths);
    // What each check read or looked for is kept when it runs (`noteDataFiles`): no path is searched again here.
    const readers = [...this.checkedVersions.keys()].filter((uri) => this.dataFilesOf.get(uri)?.some((file) => changed.has(file)));
    this.drop(readers);
  }

  /** The document's current version checked in full; undefined when it is too large to analyse. */
  checked(document: TextDocument): CheckedAnalysis | undefined {
    if (tooLargeToAnalyse(document)) {
      this.forget(document.uri);
      return undefined;
    }
    const cached = this.checkedVersions.get(document.uri);
    if (cached?.version === document.version) return cached;
    const text = document.getText();
    const { chunks, blockChecks } = this.reuseOf(document.uri);
    const result = check(text, { ...this.optionsFor(document.uri), parseCache: chunks, blockCache: blockChecks });
    const analysis: CheckedAnalysis = { ...this.versionOf(document, text), ast: result.ast, program: result.program, diagnostics: result.diagnostics };
    this.checkedVersions.set(document.uri, analysis);
    this.typedVersions.delete(document.uri);
    this.noteDataFiles(document.uri, dataFilesLookedAt(result.program, filePathOf(document.uri)));
    this.afterCheck();
    return analysis;
  }

  /**
   * The document's current version, parsed, with the program of its last
   * check re-bound where the text changed since (see `rebind`); the full
   * check when there was none yet. Undefined when it is too large to analyse.
   */
  latest(document: TextDocument): Analysis | undefined {
    const checked = this.checkedVersions.get(document.uri);
    if (!checked || checked.version === document.version || tooLargeToAnalyse(document)) return this.checked(document);
    const typed = this.typedVersions.get(document.uri);
    if (typed?.version === document.version) return typed;
    const text = document.getText();
    const { chunks } = this.reuseOf(document.uri);
    // Rebinding leaves regularize and tune blocks as they were checked, so an edit there costs no parse until a feature reads the tree.
    const { ast: bindable } = parse(text, chunks, (chunk) => NOT_REBOUND.test(chunk));
    let ast: SpecFile | undefined;
    const analysis: Analysis = {
      ...this.versionOf(document, text),
      program: rebind(checked, bindable, text, this.optionsFor(document.uri)),
      get ast() {
        return (ast ??= parse(text, chunks).ast);
      },
    };
    this.typedVersions.set(document.uri, analysis);
    return analysis;
  }

  /** Checks that run the paths an edit of this document takes before the user edits it (see warm-up.ts); none for a document too large to analyse. */
  warmUpSteps(document: TextDocument): Array<() => void> {
    if (tooLargeToAnalyse(document)) return [];
    return warmUpSteps(document.getText(), this.optionsFor(document.uri)).map((step) => () => {
      step();
      this.afterCheck();
    });
  }

  forget(uri: string): void {
    this.checkedVersions.delete(uri);
    this.typedVersions.delete(uri);
    this.reuse.delete(uri);
    this.noteDataFiles(uri, []);
  }

  /** Keeps what a document's check read; the listeners hear the files of all documents when that changes. */
  private noteDataFiles(uri: string, files: readonly string[]): void {
    if (samePaths(files, this.dataFilesOf.get(uri) ?? [])) return;
    if (files.length > 0) this.dataFilesOf.set(uri, files);
    else this.dataFilesOf.delete(uri);
    const all = [...new Set([...this.dataFilesOf.values()].flat())];
    for (const listener of this.dataFilesListeners) listener(all);
  }

  private drop(uris: readonly string[]): void {
    for (const uri of uris) {
      this.checkedVersions.delete(uri);
      this.typedVersions.delete(uri);
    }
    if (uris.length > 0) for (const listener of this.staleListeners) listener(uris);
  }

  private versionOf(document: TextDocument, text: string): Omit<Analysis, "ast" | "program"> {
    return { uri: document.uri, version: document.version, text, lines: new LineIndex(text) };
  }

  private optionsFor(uri: string): { path?: string; dataAccess: DataAccess } {
    const path = filePathOf(uri);
    return { ...(path ? { path } : {}), dataAccess: this.dataAccess };
  }

  private reuseOf(uri: string): { chunks: ChunkCache; blockChecks: BlockCheckCache } {
    let caches = this.reuse.get(uri);
    if (!caches) {
      caches = { chunks: new ChunkCache(), blockChecks: new BlockCheckCache() };
      this.reuse.set(uri, caches);
    }
    return caches;
  }
}

function samePaths(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((path, i) => path === b[i]);
}

/** The file path behind a `file:` URI: a spec's, so data paths resolve beside it, or a data file's. */
export function filePathOf(uri: string): string | undefined {
  try {
    return uri.startsWith("file:") ? fileURLToPath(uri) : undefined;
  } catch {
    return undefined;
  }
}
