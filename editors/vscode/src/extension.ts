import { isAbsolute, join } from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

const SERVER_PATH_SETTING = "reglang.server.path";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (!event.affectsConfiguration(SERVER_PATH_SETTING)) return;
      await stopClient();
      await startClient(context);
    }),
  );
  await startClient(context);
}

export function deactivate(): Promise<void> {
  return stopClient();
}

async function startClient(context: vscode.ExtensionContext): Promise<void> {
  const clientOptions: LanguageClientOptions = {
    documentSelector: [{ language: "reg" }],
    initializationOptions: { allowData: vscode.workspace.getConfiguration("reglang").get<string[]>("allowData", []) },
    synchronize: { configurationSection: "reglang" },
  };
  client = new LanguageClient("reglang", "reglang language server", serverOptions(context), clientOptions);
  await client.start();
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  await running?.stop();
}

/**
 * The bundled server, or the `regc` the user names: a JavaScript file runs
 * with the editor's own Node.js, anything else as an executable.
 */
function serverOptions(context: vscode.ExtensionContext): ServerOptions {
  const setting = vscode.workspace.getConfiguration().get<string>(SERVER_PATH_SETTING, "").trim();
  if (!setting) {
    return { module: context.asAbsolutePath("dist/server.js"), transport: TransportKind.stdio };
  }
  const override = resolveServerPath(setting);
  if (/\.[cm]?js$/.test(override)) {
    return { module: override, args: ["lsp"], transport: TransportKind.stdio };
  }
  // npm's `regc` on Windows is a .cmd shim, which only a shell can start.
  return { command: override, args: ["lsp"], transport: TransportKind.stdio, options: { shell: process.platform === "win32" } };
}

/** A relative path means the project's own copy (`node_modules/reglang/bin/regc.js`); a bare name is left to the PATH. */
function resolveServerPath(setting: string): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (isAbsolute(setting) || !/[\\/]/.test(setting) || !folder) return setting;
  return join(folder.uri.fsPath, setting);
}
