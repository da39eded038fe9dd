import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FolderBlobStore, sha256Of } from "../../../src/experiments/folder-blob-store.js";
import { CachedBlobStore } from "../../../src/experiments/queue/cached-blob-store.js";
import { connectRedis, RECONNECT_ATTEMPTS, reconnectAttemptsWithin } from "../../../src/experiments/queue/connect.js";
import { QueueError } from "../../../src/experiments/queue/queue-error.js";
import { RedisBlobStore } from "../../../src/experiments/queue/redis-blob-store.js";
import { parseRedisUrl } from "../../../src/experiments/queue/redis-url.js";
import { startRedis, type TestRedis } from "../../support/redis-server.js";

/** Against a real redis-server that wants a password: what connecting says, and the files an experiment ships through it. */

let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startRedis("s3cret");
  redis = await connectRedis(parseRedisUrl(`redis://:s3cret@127.0.0.1:${server.port}/1`), "test");
});
afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

describe("connectRedis", () => {
  it("connects with the URL's password to the URL's database", async () => {
    expect(await redis.ping()).toBe("PONG");
    await redis.set("where", "here");
    expect(await redis.client("INFO")).toMatch(/ db=1 /);
  });

  it.each([
    ["a wrong password", (port: number) => `redis://:wrong@127.0.0.1:${port}`, /refused the user name or password \(WRONGPASS/],
    ["no password", (port: number) => `redis://127.0.0.1:${port}`, /requires a password .*redis:\/\/:PASSWORD@127\.0\.0\.1:\d+/],
    ["a database Redis lacks", (port: number) => `redis://:s3cret@127.0.0.1:${port}/99`, /has no database 99/],
  ])("says what is wrong with %s", async (_, url, message) => {
    const connecting = connectRedis(parseRedisUrl(url(server.port)), "test");
    await expect(connecting).rejects.toBeInstanceOf(QueueError);
    await expect(connectRedis(parseRedisUrl(url(server.port)), "test")).rejects.toThrow(message);
  });

  it("gives up on a port where nothing listens after a few attempts, naming the server", async () => {
    const closed = await startRedis();
    await closed.stop();
    await expect(connectRedis(parseRedisUrl(`redis://:pw@127.0.0.1:${closed.port}`), "test")).rejects.toThrow(
      `cannot use the queue at redis://:***@127.0.0.1:${closed.port}: nothing accepts connections at 127.0.0.1:${closed.port}`,
    );
  });
});

describe("reconnectAttemptsWithin", () => {
  it("counts the attempts whose pauses (0.5 s more each, up to 5 s) fit in the seconds given", () => {
    // Pauses 0.5, 1, 1.5, 2 s add up to 5 s; the fifth, 2.5 s more, would pass it.
    expect(reconnectAttemptsWithin(5)).toBe(4);
    expect(reconnectAttemptsWithin(4.9)).toBe(3);
    // The first ten pauses add up to 27.5 s, and every later one is 5 s: a worker's default is about 80 s.
    expect(reconnectAttemptsWithin(77.5)).toBe(RECONNECT_ATTEMPTS.worker);
    expect(reconnectAttemptsWithin(0.1)).toBe(1);
  });
});

describe("RedisBlobStore", () => {
  it("stores content under its sha256, once, and gives it back", async () => {
    const blobs = new RedisBlobStore(redis, "exp-a");
    const content = Buffer.from("x,y\n1,2\n");
    const sha256 = await blobs.put(content);
    expect(sha256).toBe(sha256Of(content));
    expect(await blobs.put(Buffer.from(content))).toBe(sha256);
    expect((await blobs.get(sha256)).equals(content)).toBe(true);
    expect(await redis.keys(`reglang:blob:exp-a:*`)).toEqual([`reglang:blob:exp-a:${sha256}`]);
  });

  it("refuses a file above the limit before sending it, naming the file, its size, the limit and the option", async () => {
    const blobs = new RedisBlobStore(redis, "exp-big", 2 ** 20);
    const big = Buffer.alloc(3 * 2 ** 20 + 2 ** 19, 7);
    await expect(blobs.putFile(big, "the data file data/big.csv")).rejects.toThrow(
      "the data file data/big.csv is 3.5 MiB, above the queue's limit of 1 MiB per file: trials on a queue carry their data through Redis. Raise the limit with --queue-max-file-mb, or run without --queue",
    );
    expect(await redis.keys("reglang:blob:exp-big:*")).toEqual([]);
    expect(await blobs.put(Buffer.alloc(2 ** 20, 7))).toBe(sha256Of(Buffer.alloc(2 ** 20, 7)));
  });

  it("refuses damaged content and says when a file is missing", async () => {
    const blobs = new RedisBlobStore(redis, "exp-damaged");
    const sha256 = await blobs.put(Buffer.from("good"));
    await redis.set(`reglang:blob:exp-damaged:${sha256}`, "evil");
    await expect(blobs.get(sha256)).rejects.toThrow(/is damaged/);
    await expect(blobs.get("0".repeat(64))).rejects.toThrow(/holds no file 0{64} for experiment exp-damaged/);
  });

  it("removes an experiment's files and only those", async () => {
    const done = new RedisBlobStore(redis, "exp-done");
    const other = new RedisBlobStore(redis, "exp-other");
    await done.put(Buffer.from("one"));
    await done.put(Buffer.from("two"));
    const kept = await other.put(Buffer.from("one"));
    await done.removeAll();
    expect(await redis.keys("reglang:blob*:exp-done*")).toEqual([]);
    expect((await other.get(kept)).toString()).toBe("one");
  });
});

describe("CachedBlobStore", () => {
  it("fetches a file from Redis once, then reads the worker's copy", async () => {
    const folder = mkdtempSync(join(tmpdir(), "reglang-blob-cache-"));
    try {
      const remote = new RedisBlobStore(redis, "exp-cached");
      const sha256 = await remote.put(Buffer.from("a,b\n3,4\n"));
      const cached = new CachedBlobStore(remote, new FolderBlobStore(folder));
      expect((await cached.get(sha256)).toString()).toBe("a,b\n3,4\n");
      await remote.removeAll();
      await expect(remote.get(sha256)).rejects.toThrow(/holds no file/);
      expect((await cached.get(sha256)).toString()).toBe("a,b\n3,4\n");
      await expect(cached.get("1".repeat(64))).rejects.toThrow(/holds no file 1{64}/);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });
});
