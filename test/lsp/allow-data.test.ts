import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MessageType, type Diagnostic, type FullDocumentDiagnosticReport } from "vscode-languageserver";
import { afterAll, describe, expect, it } from "vitest";
import type { LspClient } from "../support/lsp-client.js";
import { LspSession } from "../support/lsp-session.js";

/** The editor, like the command line, reads data outside a spec's project only from folders its user allows. */

const session = new LspSession("allow-data");
const pulling = new LspSession("allow-data-pull", { capabilities: { workspace: { diagnostics: { refreshSupport: true } }, textDocument: { diagnostic: {} } } });
const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), "reglang-lsp-data-")));
const initialized = new LspSession("allow-data-initialized", { initializationOptions: { allowData: [elsewhere] } });
const misconfigured = new LspSession("allow-data-misconfigured", { initializationOptions: { allowData: [elsewhere, "data/shared", 42] } });
writeFileSync(join(elsewhere, "t.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n");

afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

const text = `data small {
  source   csv("${join(elsewhere, "t.csv")}")
  features a, b
  target   y = number(y)
  split    train: 0.5, test: 0.5
}
`;

async function codes(uri: string, client = session.client): Promise<string[]> {
  const report = await client.request<FullDocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri } });
  return report.items.map((d) => String(d.code));
}

function allow(client: LspClient, folders: string[]): Promise<void> {
  return configure(client, { reglang: { allowData: folders } });
}

function configure(client: LspClient, settings: unknown): Promise<void> {
  return client.connection.sendNotification("workspace/didChangeConfiguration", { settings });
}

const has6010 = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.code === "REG6010");

describe("reglang.allowData", () => {
  it("lets the checks read a folder outside the project once the settings list it, and not before", async () => {
    const uri = session.open(text);
    expect(await codes(uri)).toContain("REG6010");
    await allow(session.client, [elsewhere]);
    expect(await codes(uri)).not.toContain("REG6010");
    await allow(session.client, []);
    expect(await codes(uri)).toContain("REG6010");
  });

  it("has the open documents' diagnostics pushed again when it changes, with no edit", async () => {
    const uri = session.open(text);
    await session.client.diagnosticsWhere(uri, has6010);
    await allow(session.client, [elsewhere]);
    await session.client.diagnosticsWhere(uri, (d) => !has6010(d));
    await allow(session.client, []);
    await session.client.diagnosticsWhere(uri, has6010);
  });

  it("asks a client that pulls diagnostics to pull again when it changes", async () => {
    const uri = pulling.open(text);
    expect(await codes(uri, pulling.client)).toContain("REG6010");
    const refresh = pulling.client.nextDiagnosticRefresh();
    await allow(pulling.client, [elsewhere]);
    await refresh;
    expect(await codes(uri, pulling.client)).not.toContain("REG6010");
  });
});

describe("allowData in the initialization options", () => {
  it("lets the checks read the folder it lists", async () => {
    expect(await codes(initialized.open(text), initialized.client)).not.toContain("REG6010");
  });

  it("stays through configuration changes that name no allowData, as Helix and eglot send them", async () => {
    const uri = initialized.open(text);
    for (const settings of [null, {}, { reglang: {} }, { otherTool: { allowData: [] } }]) {
      await configure(initialized.client, settings);
      expect(await codes(uri, initialized.client), JSON.stringify(settings)).not.toContain("REG6010");
    }
  });

  it("is replaced by an allowData at the settings' top level, read as the initialization options are", async () => {
    const uri = initialized.open(text);
    await configure(initialized.client, { allowData: [] });
    expect(await codes(uri, initialized.client)).toContain("REG6010");
    await configure(initialized.client, { allowData: [elsewhere] });
    expect(await codes(uri, initialized.client)).not.toContain("REG6010");
  });
});

describe("allowData entries that name no absolute folder", () => {
  const warnings = () => misconfigured.client.shownMessages.filter((m) => m.type === MessageType.Warning).map((m) => m.message);

  it("are ignored with a warning that says why, the others kept", async () => {
    expect(warnings()).toEqual([
      'allowData: "data/shared" is ignored: it is not an absolute path, and the server has no folder to resolve it against. Give the folder\'s absolute path.',
      "allowData: 42 is ignored: each entry must be a folder's absolute path.",
    ]);
    expect(await codes(misconfigured.open(text), misconfigured.client)).not.toContain("REG6010");
  });

  it("are warned of in configuration changes too, as is an allowData that is not a list", async () => {
    const uri = misconfigured.open(text);
    const before = warnings().length;
    await configure(misconfigured.client, { reglang: { allowData: elsewhere } });
    expect(await codes(uri, misconfigured.client)).toContain("REG6010");
    expect(warnings().slice(before)).toEqual([`allowData is ignored: it must be a list of absolute folders, such as ["/data/shared"], not ${JSON.stringify(elsewhere)}.`]);
  });
});
