import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from "vscode-jsonrpc/node";
import type { ClientCapabilities, Diagnostic, InitializeResult, Position, PublishDiagnosticsParams, Registration, RegistrationParams, ServerCapabilities, ShowMessageParams, UnregistrationParams } from "vscode-languageserver";
import { EXAMPLES_DIR } from "./examples.js";

const ROOT = join(import.meta.dirname, "..", "..");
const REGC_LSP = [join(ROOT, "bin", "regc.js"), "lsp", "--stdio"];

/**
 * A language client for tests: spawns `regc lsp --stdio` (the built CLI, as
 * editors run it) and speaks JSON-RPC to it over the child's stdio.
 */
export class LspClient {
  private readonly versions = new Map<string, number>();
  private readonly published = new Map<string, PublishDiagnosticsParams>();
  private readonly waiters: Array<{ uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (d: Diagnostic[]) => void }> = [];
  /** What the server registered with this client while running (`client/registerCapability`) and has not unregistered. */
  readonly registrations: Registration[] = [];
  private readonly diagnosticRefreshes: Array<() => void> = [];
  /** What the server said it supports, in its answer to `initialize`. */
  serverCapabilities: ServerCapabilities = {};
  /** What the server asked this client to show its user (`window/showMessage`), in order. */
  readonly shownMessages: ShowMessageParams[] = [];

  private constructor(
    private readonly child: ChildProcess,
    readonly connection: MessageConnection,
  ) {
    connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
      this.published.set(params.uri, params);
      for (const waiter of [...this.waiters]) {
        if (waiter.uri === params.uri && waiter.accept(params)) {
          this.waiters.splice(this.waiters.indexOf(waiter), 1);
          waiter.resolve(params.diagnostics);
        }
      }
    });
    connection.onNotification("window/showMessage", (params: ShowMessageParams) => void this.shownMessages.push(params));
    connection.onRequest("client/registerCapability", ({ registrations }: RegistrationParams) => void this.registrations.push(...registrations));
    connection.onRequest("client/unregisterCapability", ({ unregisterations }: UnregistrationParams) => {
      for (const { id } of unregisterations) {
        const at = this.registrations.findIndex((r) => r.id === id);
        if (at >= 0) this.registrations.splice(at, 1);
      }
    });
    connection.onRequest("workspace/diagnostic/refresh", () => {
      for (const resolve of this.diagnosticRefreshes.splice(0)) resolve();
      return null;
    });
  }

  /** Resolves when the server next asks this client to pull diagnostics again (`workspace/diagnostic/refresh`). */
  nextDiagnosticRefresh(): Promise<void> {
    return new Promise((resolve) => this.diagnosticRefreshes.push(resolve));
  }

  /**
   * With `measureHeap`, the server runs with a probe that `heapAfterCollection` asks over an IPC channel;
   * `capabilities` are what the client says it supports, `initializationOptions` what it passes the server at `initialize`;
   * `server` is the script and arguments node runs, `regc lsp --stdio` unless given.
   */
  static async start({ measureHeap = false, capabilities = {}, initializationOptions, server = REGC_LSP }: { measureHeap?: boolean; capabilities?: ClientCapabilities; initializationOptions?: unknown; server?: readonly string[] } = {}): Promise<LspClient> {
    const probe = measureHeap ? ["--expose-gc", "--require", join(ROOT, "test", "support", "heap-probe.cjs")] : [];
    const child = spawn(process.execPath, [...probe, ...server], { stdio: ["pipe", "pipe", "inherit", ...(measureHeap ? ["ipc" as const] : [])] });
    const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    connection.listen();
    const client = new LspClient(child, connection);
    const initialized = await connection.sendRequest<InitializeResult>("initialize", { processId: process.pid, rootUri: pathToFileURL(ROOT).href, capabilities, initializationOptions });
    client.serverCapabilities = initialized.capabilities;
    await connection.sendNotification("initialized", {});
    return client;
  }

  /** The URI of a document beside the examples, so data paths resolve as they would there. */
  static uri(name: string): string {
    return pathToFileURL(join(EXAMPLES_DIR, name)).href;
  }

  open(uri: string, text: string): void {
    this.versions.set(uri, 1);
    void this.connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "reg", version: 1, text } });
  }

  /** Replaces the whole text (a full-document change, which every server must accept). */
  change(uri: string, text: string): number {
    const version = (this.versions.get(uri) ?? 0) + 1;
    this.versions.set(uri, version);
    void this.connection.sendNotification("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [{ text }] });
    return version;
  }

  close(uri: string): void {
    void this.connection.sendNotification("textDocument/didClose", { textDocument: { uri } });
  }

  /** Diagnostics for the document's current version, once the server publishes them. */
  diagnostics(uri: string): Promise<Diagnostic[]> {
    const version = this.versions.get(uri) ?? 0;
    const latest = this.published.get(uri);
    if (latest && latest.version !== undefined && latest.version >= version) return Promise.resolve(latest.diagnostics);
    return new Promise((resolve) => this.waiters.push({ uri, accept: (p) => p.version === undefined || p.version >= version, resolve }));
  }

  /** The document's diagnostics once the server has published ones that `accept` takes: the latest published, or a later publish. */
  diagnosticsWhere(uri: string, accept: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]> {
    const latest = this.published.get(uri);
    if (latest && accept(latest.diagnostics)) return Promise.resolve(latest.diagnostics);
    return new Promise((resolve) => this.waiters.push({ uri, accept: (p) => accept(p.diagnostics), resolve }));
  }

  request<R>(method: string, params: unknown): Promise<R> {
    return this.connection.sendRequest(method, params) as Promise<R>;
  }

  get alive(): boolean {
    return this.child.exitCode === null && !this.child.killed;
  }

  /**
   * The bytes of data the server's heap holds after a full collection: what
   * it keeps, not what the collector has yet to free (a server started with
   * `measureHeap`). The probe answers between two messages, so no request is
   * half handled.
   */
  heapAfterCollection(): Promise<number> {
    const { child } = this;
    if (!child.send) throw new Error("the server was started without `measureHeap`");
    return new Promise((resolve) => {
      child.once("message", (bytes) => resolve(bytes as number));
      child.send!("heap");
    });
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest("shutdown").catch(() => undefined);
    await this.connection.sendNotification("exit").catch(() => undefined);
    this.connection.dispose();
    this.child.kill();
  }
}

/** Splits a fixture with a `<|>` cursor marker into its text and the cursor's position. */
export function withCursor(fixture: string): { text: string; position: Position } {
  const at = fixture.indexOf("<|>");
  if (at < 0) throw new Error("fixture has no <|> marker");
  const text = fixture.slice(0, at) + fixture.slice(at + 3);
  const before = text.slice(0, at).split("\n");
  return { text, position: { line: before.length - 1, character: before[before.length - 1]!.length } };
}
