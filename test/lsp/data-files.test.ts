import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { FileChangeType, type Diagnostic, type FullDocumentDiagnosticReport } from "vscode-languageserver";
import { afterAll, describe, expect, it, vi } from "vitest";
import { LspSession } from "../support/lsp-session.js";

/**
 * A data file a spec reads changes on disk, the spec's text does not: the
 * editor reports the change, and the spec's diagnostics follow it without
 * an edit, pushed again to a client that takes them pushed, and pulled
 * again by one that pulls them when the server asks.
 */

const WATCHING = { workspace: { didChangeWatchedFiles: { dynamicRegistration: true, relativePatternSupport: true } } };
const pushing = new LspSession("data-files-push", { capabilities: WATCHING });
const pulling = new LspSession("data-files-pull", {
  capabilities: { workspace: { ...WATCHING.workspace, diagnostics: { refreshSupport: true }, inlayHint: { refreshSupport: true } }, textDocument: { diagnostic: {} } },
});

const project = realpathSync(mkdtempSync(join(tmpdir(), "reglang-lsp-watch-")));
mkdirSync(join(project, "data"));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const TABLE = "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n";

let specs = 0;
/** A spec in the project reading `data/NAME`, opened in the session; its URI and the data file's path. */
function openSpec(session: LspSession, name: string): { uri: string; file: string } {
  const uri = pathToFileURL(join(project, `spec-${++specs}.reg`)).href;
  session.client.open(uri, `data small {\n  source   csv("data/${name}")\n  features a, b\n  target   y = number(y)\n  split    train: 0.5, test: 0.5\n}\n`);
  return { uri, file: join(project, "data", name) };
}

function changed(session: LspSession, file: string, type: FileChangeType): Promise<void> {
  return session.client.connection.sendNotification("workspace/didChangeWatchedFiles", { changes: [{ uri: pathToFileURL(file).href, type }] });
}

const codes = (diagnostics: Diagnostic[]) => diagnostics.map((d) => String(d.code));

async function pulledCodes(uri: string): Promise<string[]> {
  const report = await pulling.client.request<FullDocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri } });
  return codes(report.items);
}

describe("a data file that changes on disk", () => {
  it("is watched: the server asks the editor to report changes to data files", async () => {
    await vi.waitFor(() => {
      const watchers = pushing.client.registrations.filter((r) => r.method === "workspace/didChangeWatchedFiles").flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: unknown }> }).watchers);
      expect(watchers.map((w) => w.globPattern)).toContain("**/*.{csv,json}");
    });
  });

  it("is watched by name when its name is not a .csv or .json one, while a spec that reads it is open", async () => {
    const patterns = () => pushing.client.registrations.filter((r) => r.method === "workspace/didChangeWatchedFiles").flatMap((r) => (r.registerOptions as { watchers: Array<{ globPattern: unknown }> }).watchers.map((w) => w.globPattern));
    const folder = pathToFileURL(join(project, "data")).href;
    const { uri, file } = openSpec(pushing, "penguins[1].tsv");
    // `[` and `]` mean a set of characters to a glob: each stands for any one character there.
    await vi.waitFor(() => expect(patterns()).toContainEqual({ baseUri: folder, pattern: "penguins?1?.tsv" }));
    expect(patterns()).toContain("**/*.{csv,json}");
    // Its creation reaches the spec as a .csv file's does.
    writeFileSync(file, TABLE);
    await changed(pushing, file, FileChangeType.Created);
    await pushing.client.diagnosticsWhere(uri, (d) => !codes(d).includes("REG6001"));
    pushing.client.close(uri);
    await vi.waitFor(() => expect(patterns()).not.toContainEqual({ baseUri: folder, pattern: "penguins?1?.tsv" }));
  });

  it("once created, clears the spec's REG6001 for a client that takes diagnostics pushed", async () => {
    const { uri, file } = openSpec(pushing, "created.csv");
    await pushing.client.diagnosticsWhere(uri, (d) => codes(d).includes("REG6001"));
    writeFileSync(file, TABLE);
    await changed(pushing, file, FileChangeType.Created);
    expect(codes(await pushing.client.diagnosticsWhere(uri, (d) => !codes(d).includes("REG6001")))).not.toContain("REG1009");
  });

  it("with a column renamed, gives the spec's REG1009 for the column it names", async () => {
    const { uri, file } = openSpec(pushing, "renamed.csv");
    writeFileSync(file, TABLE);
    await pushing.client.diagnosticsWhere(uri, (d) => d.length > 0 && !codes(d).includes("REG6001"));
    writeFileSync(file, TABLE.replace("a,b,y", "a,c,y"));
    await changed(pushing, file, FileChangeType.Changed);
    const diagnostics = await pushing.client.diagnosticsWhere(uri, (d) => codes(d).includes("REG1009"));
    expect(diagnostics.find((d) => d.code === "REG1009")?.message).toMatch(/no column `b`/);
  });

  it("once created, has a client that pulls diagnostics asked to pull again, and the pull clears REG6001", async () => {
    const { uri, file } = openSpec(pulling, "pulled.csv");
    expect(await pulledCodes(uri)).toContain("REG6001");
    const refresh = pulling.client.nextDiagnosticRefresh();
    writeFileSync(file, TABLE);
    await changed(pulling, file, FileChangeType.Created);
    await refresh;
    expect(await pulledCodes(uri)).not.toContain("REG6001");
  });

  it("has the client ask for inlay hints again, as layer shapes follow the data's columns", async () => {
    const { uri, file } = openSpec(pulling, "hinted.csv");
    await pulledCodes(uri);
    const refresh = new Promise<void>((resolve) => pulling.client.connection.onRequest("workspace/inlayHint/refresh", () => void resolve()));
    writeFileSync(file, TABLE);
    await changed(pulling, file, FileChangeType.Created);
    await refresh;
  });
});
