import { ErrorCodes, Message, ResponseError, ShutdownRequest, type Connection, type ConnectionOptions } from "vscode-languageserver/node";

/**
 * Where a request that arrives after `shutdown` is sent instead of its own
 * method: the protocol library dispatches by method and has no hook that
 * answers a request itself, so the refusal is a handler of its own.
 */
const REFUSED_AFTER_SHUTDOWN = "$/regc/refusedAfterShutdown";

/**
 * Opens a connection on which every request after `shutdown` is answered
 * with InvalidRequest, as the protocol asks: the server has stopped serving
 * and waits only for `exit`. Notifications, `exit` among them, pass.
 */
export function refusingRequestsAfterShutdown(open: (options: ConnectionOptions) => Connection): Connection {
  let shutDown = false;
  const connection = open({
    messageStrategy: {
      handleMessage(message, next) {
        if (!Message.isRequest(message)) return next(message);
        if (shutDown) return next({ ...message, method: REFUSED_AFTER_SHUTDOWN, params: { method: message.method } } as Message);
        shutDown = message.method === ShutdownRequest.method;
        return next(message);
      },
    },
  });
  connection.onRequest(REFUSED_AFTER_SHUTDOWN, ({ method }: { method: string }) => new ResponseError(ErrorCodes.InvalidRequest, `${method}: the server received \`shutdown\` and answers no more requests`));
  return connection;
}
