import { pathToFileURL } from "node:url";
import { DidChangeWatchedFilesNotification, type ClientCapabilities, type Connection, type Disposable, type FileSystemWatcher } from "vscode-languageserver/node";
import { filePathOf, type AnalysisCache } from "./analysis.js";

/**
 * The files `csv(…)` and `json(…)` read, by the extensions they are written
 * with. A data file named otherwise is read again at the spec's next edit.
 */
const DATA_FILES = "**/*.{csv,json}";

/**
 * Data files as the editor sees them change: the server asks it to report
 * changes to data files in its workspace and in the folders the settings
 * allow, and checks again the documents that read a file that changed, so
 * a created file or a renamed column needs no edit of the spec.
 */
export class DataFileWatch {
  private registration: Promise<Disposable | undefined> | undefined;
  private watched: readonly string[] | undefined;

  constructor(
    private readonly connection: Connection,
    private readonly clientCapabilities: () => ClientCapabilities,
    analyses: AnalysisCache,
  ) {
    connection.onDidChangeWatchedFiles(({ changes }) => analyses.dataFilesChanged(changes.flatMap(({ uri }) => filePathOf(uri) ?? [])));
  }

  /** Watches the workspace and these folders, in place of what was watched before; only a client that takes registrations while it runs is asked. */
  watch(allowedFolders: readonly string[]): void {
    const capability = this.clientCapabilities().workspace?.didChangeWatchedFiles;
    // The analyses keep the same list while the settings leave the folders as they were.
    if (!capability?.dynamicRegistration || this.watched === allowedFolders) return;
    this.watched = allowedFolders;
    // A folder outside the workspace can be named to the client only as the base of a relative pattern.
    const outside: FileSystemWatcher[] = capability.relativePatternSupport ? allowedFolders.map((folder) => ({ globPattern: { baseUri: pathToFileURL(folder).href, pattern: DATA_FILES } })) : [];
    const previous = this.registration;
    this.registration = this.connection.client.register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: DATA_FILES }, ...outside] }).catch(() => undefined);
    void previous?.then((registered) => registered?.dispose());
  }
}
