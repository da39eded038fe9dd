import { execFileSync, spawn } from "node:child_process";
import { builtinModules } from "node:module";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, posix } from "node:path";
import { pathToFileURL } from "node:url";
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from "vscode-jsonrpc/node";
import type { Hover, InitializeResult, MarkupContent, PublishDiagnosticsParams } from "vscode-languageserver";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLES_DIR } from "./support/examples.js";
import { LspClient } from "./support/lsp-client.js";
import { readZip } from "./support/zip.js";

/**
 * `npm run package:vscode` builds a .vsix that VS Code can install: the
 * manifest, language configuration, grammar and two self-contained bundles,
 * the server among them answering over stdio on its own, with the data
 * `regc lsp` finds in the packages reglang installs.
 */

const ROOT = join(import.meta.dirname, "..");
const EXTENSION_DIR = join(ROOT, "editors", "vscode");

interface Manifest {
  version: string;
  main: string;
  icon: string;
  activationEvents: string[];
  contributes: {
    languages: Array<{ id: string; extensions: string[]; configuration: string }>;
    grammars: Array<{ language: string; scopeName: string; path: string }>;
    commands: Array<{ command: string; title: string; category: string }>;
    snippets: Array<{ language: string; path: string }>;
    configuration: { properties: Record<string, { type: string; enum?: string[]; default?: unknown }> };
  };
}

let files: Map<string, Buffer>;
let manifest: Manifest;
/** The package unpacked outside the repository, where no node_modules can help it. */
let unpacked: string;

beforeAll(() => {
  execFileSync(process.execPath, [join(ROOT, "scripts", "package-vscode.mjs")], { cwd: ROOT, stdio: "pipe" });
  const { version } = JSON.parse(readFileSync(join(EXTENSION_DIR, "package.json"), "utf8")) as Manifest;
  files = readZip(readFileSync(join(EXTENSION_DIR, `reglang-${version}.vsix`)));
  manifest = JSON.parse(entry("package.json").toString("utf8")) as Manifest;
  unpacked = mkdtempSync(join(tmpdir(), "reglang-vsix-"));
  for (const [name, data] of files) {
    const path = join(unpacked, ...name.split("/"));
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, data);
  }
});

afterAll(() => {
  if (unpacked) rmSync(unpacked, { recursive: true, force: true });
});

/** A file of the extension, by its path relative to the extension's root. */
function entry(path: string): Buffer {
  const name = posix.join("extension", path);
  const data = files.get(name);
  if (!data) throw new Error(`${name} is not in the package; it has ${[...files.keys()].join(", ")}`);
  return data;
}

describe("the VS Code extension package", () => {
  it("declares the reg language, its configuration and grammar, all inside the package", () => {
    const language = manifest.contributes.languages.find((l) => l.id === "reg");
    expect(language?.extensions).toContain(".reg");
    expect(manifest.activationEvents).toContain("onLanguage:reg");
    expect(entry(language!.configuration).toString("utf8")).toBe(readFileSync(join(EXTENSION_DIR, "language-configuration.json"), "utf8"));

    const grammar = manifest.contributes.grammars.find((g) => g.language === "reg");
    expect(grammar?.scopeName).toBe("source.reg");
    expect(entry(grammar!.path).toString("utf8")).toBe(readFileSync(join(ROOT, "grammar", "reg.tmLanguage.json"), "utf8"));

    expect(entry(manifest.main).length).toBeGreaterThan(0);
    expect(entry("dist/server.js").length).toBeGreaterThan(0);
    expect(files.has("extension/src/extension.ts")).toBe(false);
  });

  it("ships a PNG icon, the README and the CHANGELOG", () => {
    const icon = entry(manifest.icon);
    expect(icon.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // PNG's IHDR: width and height, big-endian, after the signature and chunk header.
    expect([icon.readUInt32BE(16), icon.readUInt32BE(20)]).toEqual([128, 128]);
    // vsce stores them as readme.md and changelog.md, the names the Marketplace shows.
    expect(entry("readme.md").toString("utf8")).toBe(readFileSync(join(EXTENSION_DIR, "README.md"), "utf8"));
    expect(entry("changelog.md").toString("utf8")).toMatch(new RegExp(`^## ${manifest.version.replace(/\./g, "\\.")}$`, "m"));
  });

  it("documents every setting it contributes in the README's settings table", () => {
    const readme = entry("readme.md").toString("utf8");
    const documented = [...readme.matchAll(/^\| `(reglang\.[\w.]+)` \|/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(manifest.contributes.configuration.properties).sort());
  });

  it("contributes the commands, each registered by the client", () => {
    const commands = manifest.contributes.commands.map((c) => c.command);
    expect(commands.sort()).toEqual(["reglang.checkWorkspace", "reglang.compile", "reglang.restartServer", "reglang.run"]);
    for (const command of manifest.contributes.commands) expect(command).toMatchObject({ category: "reglang", title: expect.any(String) });
    const client = entry(manifest.main).toString("utf8");
    for (const command of commands) expect(client).toContain(`registerCommand("${command}"`);
    // Compile and run go to a terminal with the project's (or a global) regc:
    // never a package of that name that npx would fetch from the registry.
    expect(client).toContain("createTerminal");
    expect(client).toContain('"npx --no -- regc"');
  });

  it("contributes snippets for every kind of block", () => {
    const [contribution] = manifest.contributes.snippets;
    expect(contribution?.language).toBe("reg");
    const snippets = JSON.parse(entry(contribution!.path).toString("utf8")) as Record<string, { prefix: string; body: string[] }>;
    const byPrefix = new Map(Object.values(snippets).map((snippet) => [snippet.prefix, snippet.body.join("\n")]));
    expect([...byPrefix.keys()].sort()).toEqual(["data", "model", "regularize", "task", "train", "tune"]);
    for (const [prefix, body] of byPrefix) expect(body.startsWith(`${prefix} `)).toBe(true);
  });

  it("has a reglang.trace.server setting, which the language client reads under its id", () => {
    expect(manifest.contributes.configuration.properties["reglang.trace.server"]).toMatchObject({ type: "string", enum: ["off", "messages", "verbose"], default: "off" });
    expect(entry(manifest.main).toString("utf8")).toMatch(/\bLanguageClient\(\s*"reglang"/);
  });

  it("bundles the client with nothing left to require but vscode and node's own modules", () => {
    const required = new Set([...entry("dist/extension.js").toString("utf8").matchAll(/\brequire\("([^"]+)"\)/g)].map((m) => m[1]!));
    const outside = [...required].filter((name) => name !== "vscode" && !builtinModules.includes(name.replace(/^node:/, "")));
    expect(outside).toEqual([]);
  });

  it("type-checks the client against the oldest VS Code API it declares", () => {
    execFileSync(process.execPath, [join(ROOT, "node_modules", "typescript", "bin", "tsc"), "--noEmit", "-p", EXTENSION_DIR], { cwd: ROOT, stdio: "pipe" });
  });

  it("runs the bundled server on its own: it answers initialize and checks a document", async () => {
    const server = spawn(process.execPath, [join(unpacked, "extension", "dist", "server.js"), "--stdio"], { cwd: unpacked, stdio: ["pipe", "pipe", "pipe"] });
    const connection = createMessageConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    connection.listen();
    try {
      const uri = pathToFileURL(join(unpacked, "typo.reg")).href;
      const published = new Promise<PublishDiagnosticsParams>((resolve) =>
        connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
          if (params.uri === uri) resolve(params);
        }),
      );

      const initialized = await connection.sendRequest<InitializeResult>("initialize", { processId: process.pid, rootUri: pathToFileURL(unpacked).href, capabilities: {} });
      expect(initialized.serverInfo?.name).toBe("regc");
      expect(initialized.capabilities.textDocumentSync).toBeDefined();
      await connection.sendNotification("initialized", {});

      const text = "model net(digits.input) {\n  h = dence(3)\n}\n";
      await connection.sendNotification("textDocument/didOpen", { textDocument: { uri, languageId: "reg", version: 1, text } });
      const { diagnostics } = await published;
      expect(diagnostics.length).toBeGreaterThan(0);
      expect(diagnostics.every((d) => /^REG\d{4}$/.test(String(d.code)))).toBe(true);

      const exited = new Promise<number | null>((resolve) => server.once("exit", resolve));
      await connection.sendRequest("shutdown");
      await connection.sendNotification("exit");
      expect(await exited).toBe(0);
    } finally {
      connection.dispose();
      server.kill();
    }
  });

  it("runs the bundled server on specs that read vega-datasets, which reglang installs, as `regc lsp` does", async () => {
    // Outside the repository, beside the unpacked extension: no node_modules up from the specs holds the package.
    const specs = readdirSync(EXAMPLES_DIR, { recursive: true, encoding: "utf8" })
      .filter((name) => name.endsWith(".reg") && readFileSync(join(EXAMPLES_DIR, name), "utf8").includes('"vega-datasets/'))
      .sort();
    expect(specs.length).toBeGreaterThan(10);
    const bundled = await LspClient.start({ server: [join(unpacked, "extension", "dist", "server.js"), "--stdio"] });
    const regc = await LspClient.start();
    try {
      for (const name of specs) {
        const path = join(unpacked, "specs", name);
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, readFileSync(join(EXAMPLES_DIR, name)));
        const uri = pathToFileURL(path).href;
        const text = readFileSync(path, "utf8");
        bundled.open(uri, text);
        regc.open(uri, text);
        expect(await bundled.diagnostics(uri), name).toEqual(await regc.diagnostics(uri));
      }
      const cars = pathToFileURL(join(unpacked, "specs", "d-multitask-cars.reg")).href;
      const hover = await bundled.request<Hover | null>("textDocument/hover", { textDocument: { uri: cars }, position: { line: 1, character: 6 } });
      expect((hover?.contents as MarkupContent | undefined)?.value).toContain("**data `cars`** — cars.json, 406 rows");
    } finally {
      await Promise.all([bundled.stop(), regc.stop()]);
    }
  });
});
