import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * How the server starts and ends over real pipes: `regc lsp` with or
 * without `--stdio`, requests before `initialize` and after `shutdown`, and the end of its input
 * taken as `exit`, whether or not the editor named a process of its own.
 */

const ROOT = join(import.meta.dirname, "..", "..");

type Message = { jsonrpc: "2.0"; id?: number; method?: string; params?: unknown; result?: unknown; error?: { code: number; message: string } };

const initialize = (processId: number | null): Message => ({ jsonrpc: "2.0", id: 1, method: "initialize", params: { processId, rootUri: null, capabilities: {} } });
const SHUTDOWN: Message = { jsonrpc: "2.0", id: 2, method: "shutdown" };
const HOVER: Message = { jsonrpc: "2.0", id: 3, method: "textDocument/hover", params: { textDocument: { uri: "file:///nowhere.reg" }, position: { line: 0, character: 0 } } };

function frame(message: Message): string {
  const body = JSON.stringify(message);
  return `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
}

function unframe(stdout: string): Message[] {
  return stdout
    .split(/Content-Length: \d+\r\n\r\n/)
    .filter((body) => body.length > 0)
    .map((body) => JSON.parse(body) as Message);
}

/**
 * Writes the messages, then closes the server's stdin as an editor that is
 * gone does: once every request among them is answered, or at once with
 * `atOnce`. Resolves with what the server wrote once it ends.
 */
function serveThenEnd(args: string[], messages: Message[], { atOnce = false } = {}): Promise<{ code: number | null; responses: Message[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(ROOT, "bin", "regc.js"), "lsp", ...args]);
    const requests = messages.filter((m) => m.id !== undefined).length;
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (unframe(stdout).length >= requests) child.stdin.end();
    });
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    // A server that outlives its input is killed and fails the test.
    const deadline = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("close", (code) => {
      clearTimeout(deadline);
      resolve({ code, responses: unframe(stdout), stderr });
    });
    child.stdin.write(messages.map(frame).join(""));
    if (atOnce) child.stdin.end();
  });
}

describe("the end of the server's input", () => {
  for (const [who, processId] of [
    ["an editor process that is still running", process.pid],
    ["no editor process", null],
  ] as const) {
    it(`after shutdown ends the server with 0, with ${who} named`, async () => {
      const { code, responses } = await serveThenEnd(["--stdio"], [initialize(processId), SHUTDOWN]);
      expect(responses.find((r) => r.id === 2)).toEqual({ jsonrpc: "2.0", id: 2, result: null });
      expect(code).toBe(0);
    }, 30_000);

    it(`right after shutdown, before its answer is read, ends the server with 0, with ${who} named`, async () => {
      const { code } = await serveThenEnd(["--stdio"], [initialize(processId), SHUTDOWN], { atOnce: true });
      expect(code).toBe(0);
    }, 30_000);

    it(`without shutdown ends the server with 1, with ${who} named`, async () => {
      const { code } = await serveThenEnd(["--stdio"], [initialize(processId)]);
      expect(code).toBe(1);
    }, 30_000);
  }
});

describe("regc lsp without --stdio", () => {
  it("speaks over stdio, as its usage says", async () => {
    const { code, responses, stderr } = await serveThenEnd([], [initialize(null), SHUTDOWN]);
    expect(stderr).toBe("");
    expect(responses.find((r) => r.id === 1)?.result).toMatchObject({ serverInfo: { name: "regc" } });
    expect(code).toBe(0);
  }, 30_000);
});

describe("a request after shutdown", () => {
  it("is refused with InvalidRequest, and a second shutdown too", async () => {
    const { code, responses } = await serveThenEnd(["--stdio"], [initialize(null), HOVER, SHUTDOWN, { ...HOVER, id: 4 }, { ...SHUTDOWN, id: 5 }]);
    expect(responses.find((r) => r.id === 3)).toEqual({ jsonrpc: "2.0", id: 3, result: null });
    expect(responses.find((r) => r.id === 4)?.error?.code).toBe(-32600);
    expect(responses.find((r) => r.id === 5)?.error?.code).toBe(-32600);
    expect(code).toBe(0);
  }, 30_000);
});

describe("a request before initialize", () => {
  it("is refused with ServerNotInitialized, and served once initialize has come", async () => {
    const { code, responses } = await serveThenEnd(["--stdio"], [HOVER, initialize(null), { ...HOVER, id: 4 }, SHUTDOWN]);
    expect(responses.find((r) => r.id === 3)?.error).toEqual({ code: -32002, message: "textDocument/hover: the server answers requests once it has received `initialize`" });
    expect(responses.find((r) => r.id === 1)?.result).toHaveProperty("capabilities");
    expect(responses.find((r) => r.id === 4)).toEqual({ jsonrpc: "2.0", id: 4, result: null });
    expect(code).toBe(0);
  }, 30_000);
});
