import type { Command } from "./command.js";
import { UsageError } from "./usage-error.js";

export const lspCommand: Command = {
  name: "lsp",
  help: `Usage: regc lsp [--stdio]

Run the .reg language server, speaking the Language Server Protocol on
stdin/stdout. Editors start it themselves: VS Code through the reglang
extension, Neovim or Helix by naming \`regc lsp --stdio\` as the command.
`,
  flags: { "--stdio": { kind: "switch" } },
  async run(args) {
    if (args.positionals.length > 0) throw new UsageError("`regc lsp` takes no files; the editor sends the documents");
    // Loaded only here: `regc check` never pays for the protocol library.
    const { startServer } = await import("../lsp/server.js");
    startServer();
    // The server ends the process when the client sends `exit`.
    return new Promise(() => undefined);
  },
};
