import { dirname, isAbsolute, join, relative } from "node:path";
import * as vscode from "vscode";
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from "vscode-languageclient/node";

const SERVER_PATH_SETTING = "reglang.server.path";

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  context.subscriptions.push(
    vscode.commands.registerCommand("reglang.checkWorkspace", checkWorkspace),
    vscode.commands.registerCommand("reglang.compile", (uri?: vscode.Uri) => runInTerminal("compile", uri)),
    vscode.commands.registerCommand("reglang.run", (uri?: vscode.Uri) => runInTerminal("run", uri)),
    vscode.commands.registerCommand("reglang.restartServer", async () => {
      await stopClient();
      await startClient(context);
    }),
  );
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

/**
 * Opens every `.reg` file of the workspace for the server, which then
 * publishes each one's diagnostics: the Problems panel lists them all.
 */
async function checkWorkspace(): Promise<void> {
  const files = await vscode.workspace.findFiles("**/*.reg", "**/node_modules/**");
  for (const file of files) await vscode.workspace.openTextDocument(file);
  await vscode.commands.executeCommand("workbench.actions.view.problems");
  void vscode.window.showInformationMessage(`reglang: checked ${files.length} .reg file${files.length === 1 ? "" : "s"}; see the Problems panel.`);
}

/** `regc compile` or `regc run` on a spec (the one given, else the active editor's), in a terminal in its workspace folder. */
function runInTerminal(command: "compile" | "run", given: vscode.Uri | undefined): void {
  const spec = given ?? vscode.window.activeTextEditor?.document.uri;
  if (!spec || !spec.fsPath.endsWith(".reg")) {
    void vscode.window.showErrorMessage(`reglang: open a .reg file to ${command} it.`);
    return;
  }
  const folder = vscode.workspace.getWorkspaceFolder(spec)?.uri.fsPath ?? dirname(spec.fsPath);
  const terminal = vscode.window.createTerminal({ name: `regc ${command}`, cwd: folder });
  terminal.show();
  terminal.sendText(`${regcCommand()} ${command} ${quote(relative(folder, spec.fsPath) || spec.fsPath)}`);
}

/**
 * The `regc` that `reglang.server.path` names, else the project's own (or a
 * global one) through npx; `--no` keeps npx from installing and running
 * whatever the registry holds under that name where reglang is not installed.
 */
function regcCommand(): string {
  const setting = vscode.workspace.getConfiguration().get<string>(SERVER_PATH_SETTING, "").trim();
  if (!setting) return "npx --no -- regc";
  const path = resolveServerPath(setting);
  return /\.[cm]?js$/.test(path) ? `node ${quote(path)}` : quote(path);
}

function quote(text: string): string {
  return /^[\w./\\:-]+$/.test(text) ? text : `"${text.replace(/(["\\$`])/g, "\\$1")}"`;
}
