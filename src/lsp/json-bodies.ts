import { ErrorCodes, type ContentTypeDecoder, type MessageWriter, type ResponseMessage } from "vscode-languageserver/node";

/** A message whose body is not JSON: its framing held, so the messages after it are read as usual. */
export class UnparsableBody extends Error {
  override readonly name = "UnparsableBody";
}

/**
 * Reads message bodies as JSON, as the library's own decoder does, but
 * tells a body that is not JSON apart from a broken framing: the library
 * reports both as one kind of reader error.
 */
export const JSON_BODIES: ContentTypeDecoder = {
  name: "application/json",
  async decode(body, { charset }) {
    try {
      return JSON.parse(new TextDecoder(charset).decode(body));
    } catch (error) {
      throw new UnparsableBody(error instanceof Error ? error.message : String(error));
    }
  },
};

/** JSON-RPC 2.0's answer to a body that is not JSON: a Parse error, with a null id since no id could be read. */
export function answerUnparsable(writer: MessageWriter, error: UnparsableBody): void {
  const response: ResponseMessage = { jsonrpc: "2.0", id: null, error: { code: ErrorCodes.ParseError, message: `the message's body is not JSON: ${error.message}` } };
  // A write that fails has been reported to the connection by the writer, which handles it as for any answer.
  writer.write(response).catch(() => undefined);
}
