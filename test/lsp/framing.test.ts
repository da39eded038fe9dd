import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * Bytes that are not LSP messages, sent to `regc lsp --stdio` over real
 * pipes: where the framing breaks, the server says why and closes, never
 * hangs; a well-framed body that is not JSON gets a Parse error, and the
 * server reads on.
 */

const ROOT = join(import.meta.dirname, "..", "..");

function frame(body: string, length = Buffer.byteLength(body)): string {
  return `Content-Length: ${length}\r\n\r\n${body}`;
}

const INITIALIZE = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
const SHUTDOWN = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "shutdown" });

/** Writes `input` and keeps stdin open, as an editor does, unless `end`; resolves with the exit code and output once the server ends. */
function serve(input: string, { end = false } = {}): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "regc.js"), "lsp", "--stdio"]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    // A server that hangs is killed after a minute and fails the test.
    const deadline = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("close", (code) => {
      clearTimeout(deadline);
      resolve({ code, stderr, stdout });
    });
    child.stdin.write(input);
    if (end) child.stdin.end();
  });
}

/** The bodies of the messages framed in `output`, parsed. */
function messagesIn(output: string): unknown[] {
  const bytes = Buffer.from(output);
  const messages: unknown[] = [];
  for (let at = 0; at < bytes.length; ) {
    const headerEnd = bytes.indexOf("\r\n\r\n", at);
    const length = Number(/Content-Length: (\d+)/.exec(bytes.toString("utf8", at, headerEnd))![1]);
    messages.push(JSON.parse(bytes.toString("utf8", headerEnd + 4, headerEnd + 4 + length)));
    at = headerEnd + 4 + length;
  }
  return messages;
}

describe("a framing error", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["a Content-Length that is not a number", `${frame(INITIALIZE)}Content-Length: abc\r\n\r\n${SHUTDOWN}`, /Content-Length value must be a number\. Got abc/],
    ["no Content-Length", `${frame(INITIALIZE)}Content-Type: application/vscode-jsonrpc\r\n\r\n${SHUTDOWN}`, /must provide a Content-Length/],
    // The shutdown request becomes part of the first message's body, which never completes.
    ["a Content-Length larger than the message", `${frame(INITIALIZE, 5000)}${frame(SHUTDOWN)}`, /stopped arriving part-way .* Content-Length larger than its body/],
  ];
  for (const [what, input, reason] of cases) {
    it(`${what}: the server logs the reason and exits 1`, async () => {
      const { code, stderr } = await serve(input);
      expect(stderr).toMatch(/^regc lsp: closing the connection: the editor's messages cannot be read: /);
      expect(stderr).toMatch(reason);
      expect(code).toBe(1);
    }, 70_000);
  }
});

describe("a body that is not JSON", () => {
  it("is answered with a Parse error, and the next message is read as usual", async () => {
    const { code, stdout, stderr } = await serve(`${frame(INITIALIZE)}Content-Length: 5\r\n\r\n{bad}${frame(SHUTDOWN)}`, { end: true });
    const answers = messagesIn(stdout).filter((message) => typeof message === "object" && message !== null && "id" in message);
    // Answers may come in any order: the Parse error is sent as the body is read, before `initialize` is answered.
    expect(answers).toHaveLength(3);
    expect(answers).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 1, result: expect.objectContaining({ capabilities: expect.any(Object) }) }),
        { jsonrpc: "2.0", id: null, error: { code: -32700, message: expect.stringMatching(/^the message's body is not JSON: /) } },
        { jsonrpc: "2.0", id: 2, result: null },
      ]),
    );
    // The end of stdin after `shutdown` is an orderly exit.
    expect([code, stderr]).toEqual([0, ""]);
  }, 70_000);
});
