/** The trial queue on Redis (BullMQ): loaded only by the commands that use it. */
export { DEFAULT_MAX_FILE_MB, RedisBlobStore } from "./redis-blob-store.js";
export { QueueError } from "./queue-error.js";
export { parseRedisUrl, type RedisTarget } from "./redis-url.js";
export { QueueEngine, type QueueEngineOptions } from "./queue-engine.js";
export { TrialWorker, type TrialWorkerOptions } from "./trial-worker.js";
export { reconnectAttemptsWithin } from "./connect.js";
