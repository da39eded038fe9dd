// Builds the VS Code extension into editors/vscode/reglang-<version>.vsix:
// the client and the language server each bundled into one file, so the
// package needs no node_modules; beside the server, the tables of the
// datasets reglang installs; and the TextMate grammar copied in.
import { createVSIX } from "@vscode/vsce";
import { build } from "esbuild";
import { copyFile, mkdir, readdir, readFile, rm } from "node:fs/promises";
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

// A spec's `json("vega-datasets/data/cars.json")` is looked for from the
// spec's folder, then from the server's own (src/shared/tabular/locate.ts):
// `regc lsp` finds the vega-datasets that reglang depends on there. The
// bundled server finds the same tables in dist/node_modules, the first
// folder node looks in from dist/server.js: only the files `csv(…)` and
// `json(…)` read, with the package's manifest and its notes on the data's
// sources and licences.
const datasets = join(root, "node_modules", "vega-datasets");
const shippedDatasets = join(distDir, "node_modules", "vega-datasets");
await mkdir(join(shippedDatasets, "data"), { recursive: true });
for (const file of ["package.json", "README.md", "datapackage.json"]) await copyFile(join(datasets, file), join(shippedDatasets, file));
for (const file of await readdir(join(datasets, "data"))) {
  if (/\.(csv|json)$/.test(file)) await copyFile(join(datasets, "data", file), join(shippedDatasets, "data", file));
}

await mkdir(join(extensionDir, "syntaxes"), { recursive: true });
await copyFile(join(root, "grammar", "reg.tmLanguage.json"), join(extensionDir, "syntaxes", "reg.tmLanguage.json"));

const { version } = JSON.parse(await readFile(join(extensionDir, "package.json"), "utf8"));
await createVSIX({
  cwd: extensionDir,
  packagePath: join(extensionDir, `reglang-${version}.vsix`),
  // Everything the extension runs is in the bundles.
  dependencies: false,
});
