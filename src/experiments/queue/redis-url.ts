import { QueueError } from "./queue-error.js";

/** Where the queue lives: a Redis server, read from `redis://` or `rediss://` (TLS). */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  tls: boolean;
  username?: string;
  password?: string;
  /** The URL without its password, for messages and logs. */
  display: string;
}

const DEFAULT_PORT = 6379;
const FORM = "redis://[USER:PASSWORD@]HOST[:PORT][/DB] (or rediss:// for TLS)";

/** Reads a queue URL, or throws a {@link QueueError} that says what is wrong with it. */
export function parseRedisUrl(text: string): RedisTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new QueueError(`\`${redactText(text)}\` is not a queue URL; write it as ${FORM}`);
  }
  const scheme = url.protocol.slice(0, -1);
  if (scheme !== "redis" && scheme !== "rediss") {
    throw new QueueError(`the queue URL must start with redis:// or rediss://, not ${scheme}://; write it as ${FORM}`);
  }
  if (url.hostname === "") throw new QueueError(`the queue URL \`${redact(url)}\` names no host; write it as ${FORM}`);
  if (url.search !== "" || url.hash !== "") {
    throw new QueueError(`the queue URL \`${redact(url)}\` has a query or fragment, which the queue does not read; write it as ${FORM}`);
  }
  const port = url.port === "" ? DEFAULT_PORT : Number(url.port);
  const db = databaseOf(url);
  const username = decodeURIComponent(url.username);
  const password = decodeURIComponent(url.password);
  return {
    // `new URL` keeps the brackets of an IPv6 host; the socket wants the bare address.
    host: url.hostname.replace(/^\[(.*)\]$/, "$1"),
    port,
    db,
    tls: scheme === "rediss",
    ...(username !== "" && { username }),
    ...(password !== "" && { password }),
    display: redact(url),
  };
}

function databaseOf(url: URL): number {
  const path = url.pathname.replace(/^\//, "");
  if (path === "") return 0;
  if (!/^\d+$/.test(path)) {
    throw new QueueError(`the queue URL's path \`/${path}\` must be a database number (\`/0\`, \`/1\`, …); write it as ${FORM}`);
  }
  return Number(path);
}

function redact(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password !== "") copy.password = "***";
  return copy.href.replace(/\/$/, "");
}

/** For text that is not even a URL: whatever stands between `://` and `@` may be a password. */
function redactText(text: string): string {
  return text.replace(/(:\/\/[^@/]*?:)[^@/]*@/, "$1***@");
}
