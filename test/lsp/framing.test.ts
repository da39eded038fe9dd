import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/** Bytes that are not LSP messages, sent to `regc lsp --stdio` over real pipes: the server says why and closes, never hangs. */

const ROOT = join(import.meta.dirname, "..", "..");

function frame(body: string, length = Buffer.byteLength(body)): string {
  return `Content-Length: ${length}\r\n\r\n${body}`;
}

const INITIALIZE = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId: null, rootUri: null, capabilities: {} } });
const SHUTDOWN = JSON.stringify({ jsonrpc: "2.0", id: 2, method: "shutdown" });

/** Writes `input` and keeps stdin open, as an editor does; resolves with the exit code and stderr once the server ends. */
function serve(input: string): Promise<{ code: number | null; stderr: string; stdout: string }> {
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
  });
}

describe("a framing error", () => {
  const cases: Array<[string, string, RegExp]> = [
    ["a Content-Length that is not a number", `${frame(INITIALIZE)}Content-Length: abc\r\n\r\n${SHUTDOWN}`, /Content-Length value must be a number\. Got abc/],
    ["no Content-Length", `${frame(INITIALIZE)}Content-Type: application/vscode-jsonrpc\r\n\r\n${SHUTDOWN}`, /must provide a Content-Length/],
    ["a body that is not JSON", `${frame(INITIALIZE)}${frame("{not json")}`, /JSON/],
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
