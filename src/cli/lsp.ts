import type { Command } from "./command.js";
import { UsageError } from "./usage-error.js";

export const lspCommand: Command = {
  name: "lsp",
  help: `Usage: regc lsp [--stdio]

Run the .reg language server, speaking the Language Server Protocol on
stdin/stdout (the only transport; \`--stdio\`, which editors pass, says so).
Editors start it themselves: VS Code through the reglang extension, Neovim
or Helix by naming \`regc lsp --stdio\` as the command.
`,
  flags: { "--stdio": { kind: "switch" } },
  async run(args) {
    if (args.positionals.length > 0) throw new UsageError("`regc lsp` takes no files; the editor sends the documents");
    // Loaded only here: `regc check` never pays for the protocol library.
    const [{ startServer }, { stdioConnection }] = await Promise.all([import("../lsp/server.js"), import("../lsp/transport.js")]);
    startServer(stdioConnection());
    // The server ends the process when the client sends `exit`, or its input ends.
    return new Promise(() => undefined);
  },
};
