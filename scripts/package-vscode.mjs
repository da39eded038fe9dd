// Builds the VS Code extension into editors/vscode/reglang-<version>.vsix:
// the client and the language server each bundled into one file, so the
// package needs no node_modules, and the TextMate grammar copied in.
import { createVSIX } from "@vscode/vsce";
import { build } from "esbuild";
import { copyFile, mkdir, readFile, rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const extensionDir = join(root, "editors", "vscode");
const distDir = join(extensionDir, "dist");

/** VS Code 1.82, the oldest the extension supports, runs Node 18. */
const bundleOptions = { bundle: true, format: "cjs", platform: "node", target: "node18", logLevel: "warning" };

await rm(distDir, { recursive: true, force: true });

await build({
  ...bundleOptions,
  entryPoints: [join(extensionDir, "src", "extension.ts")],
  outfile: join(distDir, "extension.js"),
  external: ["vscode"],
});

await build({
  ...bundleOptions,
  entryPoints: [join(root, "src", "lsp", "main.ts")],
  outfile: join(distDir, "server.js"),
  // The compiler is ESM; in a CommonJS bundle `import.meta` is empty, so
  // give code that locates files beside itself the bundle's own location.
  banner: { js: 'const bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: { "import.meta.url": "bundleUrl", "import.meta.dirname": "__dirname", "import.meta.filename": "__filename" },
});

// The language client kills a server that ignores `exit` with this script,
// which it looks for beside its own code: in the bundle, that is dist/.
await copyFile(join(root, "node_modules", "vscode-languageclient", "lib", "node", "terminateProcess.sh"), join(distDir, "terminateProcess.sh"));

await mkdir(join(extensionDir, "syntaxes"), { recursive: true });
await copyFile(join(root, "grammar", "reg.tmLanguage.json"), join(extensionDir, "syntaxes", "reg.tmLanguage.json"));

const { version } = JSON.parse(await readFile(join(extensionDir, "package.json"), "utf8"));
await createVSIX({
  cwd: extensionDir,
  packagePath: join(extensionDir, `reglang-${version}.vsix`),
  // Everything the extension runs is in the bundles.
  dependencies: false,
});
