import { PassThrough } from "node:stream";
import { createConnection, ExitNotification, ProposedFeatures, StreamMessageReader, StreamMessageWriter, type Connection } from "vscode-languageserver/node";
import { gatingRequests } from "./request-gate.js";
import { answerUnparsable, JSON_BODIES, UnparsableBody } from "./json-bodies.js";

/** How long the rest of a message may take to arrive once it started, before the framing counts as broken. */
const STALLED_MESSAGE_MS = 10_000;

/**
 * The connection to the editor over the transport its command line names
 * (`--stdio`, `--node-ipc`, `--socket=PORT`), as the VS Code extension
 * starts the server.
 */
export function editorConnection(argv: readonly string[] = process.argv): Connection {
  if (argv.includes("--stdio")) return stdioConnection();
  return gatingRequests((options) => createConnection(ProposedFeatures.all, options));
}

/**
 * The connection to the editor over stdin and stdout. A body that is not
 * JSON is answered with a Parse error (-32700), and the next message is read:
 * its `Content-Length` kept the stream in step. A message that cannot be
 * framed (a missing or non-numeric `Content-Length`, a body that stops
 * arriving, as when `Content-Length` overstates it) ends the server with the
 * reason on stderr: once the byte stream is out of step, every later message
 * would be misread, and waiting would hang the editor.
 */
export function stdioConnection(): Connection {
  const reader = new StreamMessageReader(inputEndingInExit(), { contentTypeDecoder: JSON_BODIES });
  const writer = new StreamMessageWriter(process.stdout);
  reader.partialMessageTimeout = STALLED_MESSAGE_MS;
  reader.onError((error) => (error instanceof UnparsableBody ? answerUnparsable(writer, error) : closeOnFramingError(error.message)));
  reader.onPartialMessage(({ waitingTime }) => closeOnFramingError(`a message stopped arriving part-way (nothing more for ${waitingTime} ms): is its Content-Length larger than its body?`));
  return gatingRequests((options) => createConnection(ProposedFeatures.all, reader, writer, options));
}

/**
 * Stdin, with an `exit` notification framed after its last byte: an editor
 * that is gone sends nothing more, and the protocol's `exit` ends the
 * server with 0 after `shutdown` and 1 without. Read as one more message,
 * it is handled after every message before it, so a `shutdown` just before
 * the end counts. (The library ends the server at the end of a stream it
 * reads itself, not of a reader it is given.)
 */
function inputEndingInExit(): PassThrough {
  // Not closed at its end: a closed connection would refuse the notifications sent while the messages before `exit` are handled.
  const input = new PassThrough({ autoDestroy: false });
  process.stdin.pipe(input, { end: false });
  let ended = false;
  const endWithExit = () => {
    if (ended) return;
    ended = true;
    const exit = JSON.stringify({ jsonrpc: "2.0", method: ExitNotification.method });
    input.end(`Content-Length: ${Buffer.byteLength(exit)}\r\n\r\n${exit}`);
  };
  process.stdin.once("end", endWithExit).once("close", endWithExit);
  return input;
}

function closeOnFramingError(reason: string): never {
  process.stderr.write(`regc lsp: closing the connection: the editor's messages cannot be read: ${reason}\n`);
  // Exit code 1: the server stopped without a `shutdown` request, as the protocol numbers it.
  process.exit(1);
}
