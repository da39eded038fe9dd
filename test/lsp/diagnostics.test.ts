import { fileURLToPath } from "node:url";
import { DiagnosticSeverity, type FullDocumentDiagnosticReport, type PublishDiagnosticsParams } from "vscode-languageserver";
import { beforeAll, describe, expect, it } from "vitest";
import { check, LineIndex, type Diagnostic, type Span } from "../../src/compiler/index.js";
import { contractExamples } from "../support/examples.js";
import { LspSession } from "../support/lsp-session.js";

/**
 * The server publishes what `regc check` reports, for the version the editor
 * holds, after typing pauses; and clears it when the document closes. This
 * file records every publish itself, so it can count them.
 */

const published: PublishDiagnosticsParams[] = [];
const listeners = new Set<() => void>();

const session = new LspSession("diagnostics");

beforeAll(() => {
  session.client.connection.onNotification("textDocument/publishDiagnostics", (params: PublishDiagnosticsParams) => {
    published.push(params);
    listeners.forEach((listener) => listener());
  });
});

/** The first publish for the document that satisfies `accept`, waiting for it if need be. */
function publishFor(uri: string, accept: (p: PublishDiagnosticsParams) => boolean): Promise<PublishDiagnosticsParams> {
  return new Promise((resolve) => {
    const look = () => {
      const found = published.find((p) => p.uri === uri && accept(p));
      if (!found) return;
      listeners.delete(look);
      resolve(found);
    };
    listeners.add(look);
    look();
  });
}

const publishOfVersion = (uri: string, version: number) => publishFor(uri, (p) => p.version === version);
const nextUri = () => session.nextUri();
const example = (prefix: string) => contractExamples().find((e) => e.name.startsWith(prefix))!.text;

/** Example A with an unknown layer kind, a duplicate layer name and an unused layer. */
const BROKEN = example("a-")
  .replace("h2  = dense(512, activation: relu)", "h1  = dnese(512, activation: relu)")
  .replace("  out = dense(10)\n", "  out = dense(10)\n  spare = dense(7)\n");

/** What the checker says, in the shape an editor receives it. */
function expectedFor(uri: string, text: string) {
  const lines = new LineIndex(text);
  const range = (span: Span) => ({ start: lines.position(span.start), end: lines.position(span.end) });
  const severity = { error: DiagnosticSeverity.Error, warning: DiagnosticSeverity.Warning, info: DiagnosticSeverity.Information };
  return check(text, { path: fileURLToPath(uri) }).diagnostics.map((d: Diagnostic) => ({
    code: d.code,
    severity: severity[d.severity],
    message: d.hint ? `${d.message}\n${d.hint}` : d.message,
    range: range(d.span),
    ...(d.related?.length ? { relatedInformation: d.related.map((r) => ({ location: { uri, range: range(r.span) }, message: r.message })) } : {}),
  }));
}

describe("published diagnostics", () => {
  it("are the checker's, with codes, messages, hints, ranges and related locations", async () => {
    const uri = nextUri();
    session.client.open(uri, BROKEN);
    const { diagnostics } = await publishOfVersion(uri, 1);
    const expected = expectedFor(uri, BROKEN);
    expect(expected.map((d) => d.code)).toEqual(expect.arrayContaining(["REG1002", "REG5001", "REG5003"]));
    expect(diagnostics).toEqual(expected.map((d) => expect.objectContaining({ ...d, source: "regc" })));
    expect(diagnostics.find((d) => d.code === "REG5001")?.relatedInformation).toHaveLength(1);
  });

  it("link each code to its explanation", async () => {
    const uri = nextUri();
    session.client.open(uri, BROKEN);
    const { diagnostics } = await publishOfVersion(uri, 1);
    for (const d of diagnostics) {
      expect(d.codeDescription?.href).toMatch(new RegExp(`^https://.+#${String(d.code).toLowerCase()}$`));
    }
  });

  it("follow an edit", async () => {
    const uri = nextUri();
    session.client.open(uri, example("a-"));
    expect((await publishOfVersion(uri, 1)).diagnostics).toEqual([]);
    const version = session.client.change(uri, BROKEN);
    const { diagnostics } = await publishOfVersion(uri, version);
    expect(diagnostics.map((d) => d.code)).toEqual(expectedFor(uri, BROKEN).map((d) => d.code));
  });

  it("wait for typing to pause: a burst of changes gets one publish, for its last version", async () => {
    const uri = nextUri();
    session.client.open(uri, example("a-"));
    await publishOfVersion(uri, 1);
    const target = "out = dense(10)";
    let version = 1;
    // Type a broken layer into a fresh line, one keystroke per change, then take it out again.
    const typed = "spare = dnese(7)";
    for (let i = 1; i <= typed.length; i++) version = session.client.change(uri, example("a-").replace(target, `${target}\n  ${typed.slice(0, i)}`));
    version = session.client.change(uri, example("a-"));
    const last = await publishOfVersion(uri, version);
    expect(last.diagnostics).toEqual([]);
    // Give a stray late publish time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(published.filter((p) => p.uri === uri).map((p) => p.version)).toEqual([1, version]);
  });

  it("clear when the document closes", async () => {
    const uri = nextUri();
    session.client.open(uri, BROKEN);
    expect((await publishOfVersion(uri, 1)).diagnostics.length).toBeGreaterThan(0);
    session.client.close(uri);
    const cleared = await publishFor(uri, (p) => p.version === undefined);
    expect(cleared.diagnostics).toEqual([]);
  });
});

describe("pulled diagnostics", () => {
  it("answer textDocument/diagnostic with the checker's diagnostics for the current version, at once", async () => {
    const uri = nextUri();
    session.client.open(uri, example("a-"));
    session.client.change(uri, BROKEN);
    const report = await session.client.request<FullDocumentDiagnosticReport>("textDocument/diagnostic", { textDocument: { uri } });
    expect(report.kind).toBe("full");
    expect(report.items).toEqual(expectedFor(uri, BROKEN).map((d) => expect.objectContaining({ ...d, source: "regc" })));
  });
});
