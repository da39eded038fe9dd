import { ErrorCodes, InitializeRequest, Message, ResponseError, ShutdownRequest, type Connection, type ConnectionOptions, type RequestMessage } from "vscode-languageserver/node";
import { paramsProblem } from "./request-params.js";

/**
 * Where a request refused before its handler runs is sent instead of its
 * own method: the protocol library dispatches by method and has no hook
 * that answers a request itself, so the refusal is a handler of its own.
 */
const REFUSED = "$/regc/refused";

interface Refusal {
  code: number;
  message: string;
}

/**
 * Opens a connection on which the requests the protocol says a server must
 * refuse are answered without reaching their handlers: one before
 * `initialize` with ServerNotInitialized, one after `shutdown` with
 * InvalidRequest (the server has stopped serving and waits only for
 * `exit`), and one whose params lack what its handler reads with
 * InvalidParams (`request-params.ts`). Notifications, `exit` among them, pass.
 */
export function gatingRequests(open: (options: ConnectionOptions) => Connection): Connection {
  let stage: "starting" | "serving" | "shutDown" = "starting";
  const refuse = (request: RequestMessage, code: number, why: string): RequestMessage => ({ ...request, method: REFUSED, params: { code, message: `${request.method}: ${why}` } satisfies Refusal });
  const connection = open({
    messageStrategy: {
      handleMessage(message, next) {
        if (!Message.isRequest(message)) return next(message);
        if (stage === "starting" && message.method !== InitializeRequest.method) return next(refuse(message, ErrorCodes.ServerNotInitialized, "the server answers requests once it has received `initialize`"));
        if (stage === "shutDown") return next(refuse(message, ErrorCodes.InvalidRequest, "the server received `shutdown` and answers no more requests"));
        const problem = paramsProblem(message.method, message.params);
        if (problem) return next(refuse(message, ErrorCodes.InvalidParams, problem));
        stage = message.method === ShutdownRequest.method ? "shutDown" : "serving";
        return next(message);
      },
    },
  });
  connection.onRequest(REFUSED, ({ code, message }: Refusal) => new ResponseError(code, message));
  return connection;
}
