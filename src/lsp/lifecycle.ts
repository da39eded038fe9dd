import { ErrorCodes, InitializeRequest, Message, ResponseError, ShutdownRequest, type Connection, type ConnectionOptions, type RequestMessage } from "vscode-languageserver/node";

/**
 * Where a request refused for when it arrives is sent instead of its own
 * method: the protocol library dispatches by method and has no hook that
 * answers a request itself, so the refusal is a handler of its own.
 */
const REFUSED = "$/regc/refused";

interface Refusal {
  method: string;
  /** The request came before `initialize`, else after `shutdown`. */
  early: boolean;
}

/**
 * Opens a connection on which requests are served only between
 * `initialize` and `shutdown`, as the protocol asks: one before
 * `initialize` is answered with ServerNotInitialized, one after `shutdown`
 * with InvalidRequest (the server has stopped serving and waits only for
 * `exit`). Notifications, `exit` among them, pass.
 */
export function servingBetweenInitializeAndShutdown(open: (options: ConnectionOptions) => Connection): Connection {
  let stage: "starting" | "serving" | "shutDown" = "starting";
  const refuse = (message: RequestMessage, early: boolean): RequestMessage => ({ ...message, method: REFUSED, params: { method: message.method, early } satisfies Refusal });
  const connection = open({
    messageStrategy: {
      handleMessage(message, next) {
        if (!Message.isRequest(message)) return next(message);
        if (stage === "starting" && message.method !== InitializeRequest.method) return next(refuse(message, true));
        if (stage === "shutDown") return next(refuse(message, false));
        stage = message.method === ShutdownRequest.method ? "shutDown" : "serving";
        return next(message);
      },
    },
  });
  connection.onRequest(REFUSED, ({ method, early }: Refusal) =>
    early
      ? new ResponseError(ErrorCodes.ServerNotInitialized, `${method}: the server answers requests once it has received \`initialize\``)
      : new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server received \`shutdown\` and answers no more requests`),
  );
  return connection;
}
