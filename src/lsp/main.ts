// The language server on its own, without the CLI: the VS Code extension
// bundles this file as its server. The transport (`--stdio`, `--node-ipc`,
// `--socket=PORT`) comes from the command line the client starts it with.
import { startServer } from "./server.js";

startServer();
