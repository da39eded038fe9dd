import { mkdtempSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FullDocumentDiagnosticReport } from "vscode-languageserver";
import { afterAll, describe, expect, it } from "vitest";
import { LspSession } from "../support/lsp-session.js";

/** The editor, like the command line, reads data outside a spec's project only from folders its user allows. */

const session = new LspSession("allow-data");
const elsewhere = realpathSync(mkdtempSync(join(tmpdir(), "reglang-lsp-data-")));
writeFileSync(join(elsewhere, "t.csv"), "a,b,y\n1,2,3\n4,5,6\n7,8,9\n10,11,12\n");

afterAll(() => rmSync(elsewhere, { recursive: true, force: true }));

const text = `data small {
  source   csv("${join(elsewhere, "t.csv")}")
  features a, b
  target   y = number(y)
  split    train: 0.5, test: 0.5
}
`;

async function codes(uri: string): Promise<string[]> {
  const report = await session.client.request<FullDocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri } });
  return report.items.map((d) => String(d.code));
}

describe("reglang.allowData", () => {
  it("lets the checks read a folder outside the project once the settings list it, and not before", async () => {
    const uri = session.open(text);
    expect(await codes(uri)).toContain("REG6010");
    await session.client.connection.sendNotification("workspace/didChangeConfiguration", { settings: { reglang: { allowData: [elsewhere] } } });
    expect(await codes(uri)).not.toContain("REG6010");
    await session.client.connection.sendNotification("workspace/didChangeConfiguration", { settings: { reglang: { allowData: [] } } });
    expect(await codes(uri)).toContain("REG6010");
  });
});
