import { basename, dirname, isAbsolute, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { DidChangeWatchedFilesNotification, type ClientCapabilities, type Connection, type Disposable, type FileSystemWatcher } from "vscode-languageserver/node";
import { filePathOf, type AnalysisCache } from "./analysis.js";

/**
 * The files `csv(…)` and `json(…)` usually read, by their extensions: a
 * spec that is not open yet, or one about to name such a file, is covered.
 */
const DATA_FILES = "**/*.{csv,json}";

/**
 * Data files as the editor sees them change: the server asks it to report
 * changes to data files in its workspace and in the folders the settings
 * allow, and to each file an open spec reads or looks for that the
 * extensions miss (`csv("data/penguins.tsv")`, `json("data/cars")`: a
 * source reads its path whatever the name), and checks again the documents
 * that read a file that changed, so a created file or a renamed column
 * needs no edit of the spec.
 */
export class DataFileWatch {
  private registration: Promise<Disposable | undefined> | undefined;
  /** What is registered now, as a key, so an unchanged set is not registered again. */
  private registered: string | undefined;
  /** Unknown until the client has said it is initialized: nothing is registered before. */
  private allowedFolders: readonly string[] | undefined;
  private filesRead: readonly string[] = [];

  constructor(
    private readonly connection: Connection,
    private readonly clientCapabilities: () => ClientCapabilities,
    analyses: AnalysisCache,
  ) {
    connection.onDidChangeWatchedFiles(({ changes }) => analyses.dataFilesChanged(changes.flatMap(({ uri }) => filePathOf(uri) ?? [])));
    analyses.onDataFilesRead((files) => {
      this.filesRead = files;
      this.register();
    });
  }

  /** Watches the workspace and these folders, in place of what was watched before. */
  watch(allowedFolders: readonly string[]): void {
    this.allowedFolders = allowedFolders;
    this.register();
  }

  /** Only a client that takes registrations while it runs is asked. */
  private register(): void {
    const capability = this.clientCapabilities().workspace?.didChangeWatchedFiles;
    if (!capability?.dynamicRegistration || !this.allowedFolders) return;
    const relative = capability.relativePatternSupport === true;
    // A folder outside the workspace can be named to the client only as the base of a relative pattern.
    const outside = relative ? this.allowedFolders.map((folder): FileSystemWatcher => ({ globPattern: { baseUri: pathToFileURL(folder).href, pattern: DATA_FILES } })) : [];
    const named = this.filesRead.filter((file) => isAbsolute(file) && !/\.(csv|json)$/.test(file)).map((file) => fileWatcher(file, relative));
    const watchers = [{ globPattern: DATA_FILES }, ...outside, ...named];
    const key = JSON.stringify(watchers);
    if (key === this.registered) return;
    this.registered = key;
    const previous = this.registration;
    this.registration = this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers }).catch(() => undefined);
    void previous?.then((registered) => registered?.dispose());
  }
}

/** One file: as a relative pattern on its folder where the client takes them, else as a glob of its whole path. */
function fileWatcher(file: string, relative: boolean): FileSystemWatcher {
  if (relative) return { globPattern: { baseUri: pathToFileURL(dirname(file)).href, pattern: literalGlob(basename(file)) } };
  return { globPattern: literalGlob(file.split(sep).join("/")) };
}

/** A name as a glob that matches it: each character globs give a meaning to matches any one character, itself included. */
function literalGlob(name: string): string {
  return name.replace(/[*?[\]{}]/g, "?");
}
