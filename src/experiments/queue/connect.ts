import { isIP } from "node:net";
import { Redis, type RedisOptions } from "ioredis";
import { QueueError } from "./queue-error.js";
import type { RedisTarget } from "./redis-url.js";

/** Attempts to reach Redis before giving up: a queue that is down is said so in seconds, not waited on. */
const CONNECT_ATTEMPTS = 3;
const CONNECT_TIMEOUT_MS = 5_000;
const RETRY_PAUSE_MS = 500;
/**
 * Once connected, a dropped connection is retried this many times before the
 * command stops: a worker waits out a restarting Redis (about a minute); a
 * coordinator, whose user watches it and can resume it, says within seconds
 * that the queue is gone.
 */
export const RECONNECT_ATTEMPTS = { worker: 20, coordinator: 3 } as const;

/**
 * A connection to the queue's Redis, ready to use: it has answered, accepted
 * the password and selected the database. Every failure to get there is a
 * {@link QueueError} naming the server and what to check.
 */
export async function connectRedis(target: RedisTarget, name: string, reconnectAttempts: number = RECONNECT_ATTEMPTS.worker): Promise<Redis> {
  let lastProblem = "";
  for (let attempt = 1; attempt <= CONNECT_ATTEMPTS; attempt++) {
    const outcome = await connectOnce(target, name, reconnectAttempts);
    if (outcome.redis) return outcome.redis;
    lastProblem = outcome.problem;
    if (outcome.final) break;
    if (attempt < CONNECT_ATTEMPTS) await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
  }
  throw new QueueError(`cannot use the queue at ${target.display}: ${lastProblem}`);
}

type Outcome = { redis: Redis; problem?: never; final?: never } | { redis?: never; problem: string; final: boolean };

async function connectOnce(target: RedisTarget, name: string, reconnectAttempts: number): Promise<Outcome> {
  const redis = new Redis({ ...optionsFor(target, name), lazyConnect: true, retryStrategy: () => null });
  const errors: Error[] = [];
  const record = (error: Error) => errors.push(error);
  redis.on("error", record);
  try {
    await redis.connect();
  } catch {
    // The reason comes through the "error" event; connect() only says the connection closed.
  }
  // ioredis reports a failed SELECT as an error yet calls the connection ready.
  if (redis.status === "ready" && errors.length === 0) {
    redis.off("error", record);
    redis.options.retryStrategy = (times) => (times > reconnectAttempts ? null : reconnectPause(times));
    return { redis };
  }
  redis.disconnect();
  return explain(errors.at(-1), target);
}

/** The options every connection of the queue shares; BullMQ needs blocking commands to wait as long as they must. */
function optionsFor(target: RedisTarget, name: string): RedisOptions {
  return {
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username !== undefined && { username: target.username }),
    ...(target.password !== undefined && { password: target.password }),
    // TLS names the server it expects by host name, never by address (RFC 6066).
    ...(target.tls && { tls: isIP(target.host) ? {} : { servername: target.host } }),
    connectionName: name,
    connectTimeout: CONNECT_TIMEOUT_MS,
    maxRetriesPerRequest: null,
  };
}

/** Half a second more before each attempt, up to 5 s. */
function reconnectPause(times: number): number {
  return Math.min(times * 500, 5_000);
}

/** The reconnection attempts whose pauses add up to `seconds` at most (at least one): how long a worker waits for Redis to come back. */
export function reconnectAttemptsWithin(seconds: number): number {
  let attempts = 0;
  for (let waited = reconnectPause(1); waited <= seconds * 1000; waited += reconnectPause(attempts + 1)) attempts++;
  return Math.max(1, attempts);
}

function explain(error: Error | undefined, target: RedisTarget): Outcome {
  const message = error?.message ?? "the connection closed";
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const where = `${target.host}:${target.port}`;
  if (/^(WRONGPASS|ERR invalid password)/.test(message)) {
    return { problem: `Redis refused the user name or password (${message}); check the USER:PASSWORD part of the URL`, final: true };
  }
  if (/^NOAUTH/.test(message)) {
    return { problem: `Redis requires a password (${message}); give it in the URL as redis://:PASSWORD@${where}`, final: true };
  }
  if (/DB index is out of range/.test(message)) {
    return { problem: `Redis has no database ${target.db} (${message}); use a smaller number after the port, such as /0`, final: true };
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return { problem: `the host ${target.host} is not known (${message}); check the host name`, final: true };
  }
  if (code === "ECONNREFUSED") {
    return { problem: `nothing accepts connections at ${where} (${message}); is redis-server running there, on that port?`, final: false };
  }
  if (code === "ETIMEDOUT") {
    const tlsHint = target.tls ? "; rediss:// needs a Redis that speaks TLS, use redis:// for one that does not" : "";
    return { problem: `${where} did not answer within ${CONNECT_TIMEOUT_MS / 1000} s (${message})${tlsHint}`, final: false };
  }
  return { problem: `${message}${target.tls ? "" : "; if this Redis speaks TLS, use rediss://"}`, final: false };
}

/**
 * Closes a connection; one that already ended is left alone, as
 * disconnecting it again waits 2 s for a socket that is gone, and one not
 * ready (Redis out of reach) is dropped, as QUIT would wait for it to return.
 */
export async function closeRedis(redis: Redis): Promise<void> {
  if (redis.status === "end") return;
  if (redis.status !== "ready") redis.disconnect();
  else await redis.quit().catch(() => redis.disconnect());
}
