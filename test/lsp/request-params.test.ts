import { describe, expect, it } from "vitest";
import { LspSession } from "../support/lsp-session.js";

/** A request whose params lack what the server reads is refused with InvalidParams (-32602), saying what is missing, before any handler runs. */

const session = new LspSession("request-params");

async function refusal(method: string, params: unknown): Promise<{ code: number; message: string } | "answered"> {
  return session.client.request(method, params).then(
    () => "answered" as const,
    (error: { code: number; message: string }) => ({ code: error.code, message: error.message }),
  );
}

const uri = "file:///nowhere/spec.reg";
const position = { line: 0, character: 0 };
const range = { start: position, end: position };

describe("malformed params", () => {
  it.each([
    ["a hover without its position", "textDocument/hover", { textDocument: { uri } }, "textDocument/hover: `params.position` is missing"],
    ["a hover with a null position", "textDocument/hover", { textDocument: { uri }, position: null }, "textDocument/hover: `params.position` is missing"],
    ["a line written as a string", "textDocument/completion", { textDocument: { uri }, position: { line: "0", character: 0 } }, 'textDocument/completion: `params.position.line` must be a whole number ≥ 0, not "0"'],
    ["a negative character", "textDocument/definition", { textDocument: { uri }, position: { line: 0, character: -1 } }, "textDocument/definition: `params.position.character` must be a whole number ≥ 0, not -1"],
    ["no document", "textDocument/documentSymbol", {}, "textDocument/documentSymbol: `params.textDocument` is missing"],
    ["params that are a list", "textDocument/foldingRange", [], "textDocument/foldingRange: `params` must be an object, not a list"],
    ["a rename without its new name", "textDocument/rename", { textDocument: { uri }, position }, "textDocument/rename: `params.newName` is missing"],
    ["references without their context", "textDocument/references", { textDocument: { uri }, position }, "textDocument/references: `params.context` is missing"],
    ["code actions whose diagnostics are not a list", "textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics: {} } }, "textDocument/codeAction: `params.context.diagnostics` must be a list"],
    ["a code action's diagnostic without its range", "textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics: [{ message: "x" }] } }, "textDocument/codeAction: `params.context.diagnostics[0].range` is missing"],
  ])("refuses %s with InvalidParams, saying what is wrong", async (_name, method, params, message) => {
    expect(await refusal(method, params)).toEqual({ code: -32602, message });
  });

  it("leaves well-formed requests to their handlers, optional fields left out", async () => {
    expect(await refusal("textDocument/hover", { textDocument: { uri }, position })).toBe("answered");
    expect(await refusal("textDocument/codeAction", { textDocument: { uri }, range, context: { diagnostics: [] } })).toBe("answered");
  });
});
