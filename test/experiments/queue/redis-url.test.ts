import { describe, expect, it } from "vitest";
import { parseRedisUrl } from "../../../src/experiments/queue/redis-url.js";

describe("parseRedisUrl", () => {
  it("reads host, port and database, with Redis's defaults for what is left out", () => {
    expect(parseRedisUrl("redis://queue.example.org:6380/2")).toEqual({ host: "queue.example.org", port: 6380, db: 2, tls: false, display: "redis://queue.example.org:6380/2" });
    expect(parseRedisUrl("redis://10.0.0.5")).toMatchObject({ host: "10.0.0.5", port: 6379, db: 0, tls: false });
    expect(parseRedisUrl("redis://[::1]:7000")).toMatchObject({ host: "::1", port: 7000 });
  });

  it("reads a password, with or without a user name, decoded, and never shows it", () => {
    const withPassword = parseRedisUrl("redis://:p%40ss%3Aword@host:6379/1");
    expect(withPassword).toMatchObject({ password: "p@ss:word", db: 1 });
    expect(withPassword.username).toBeUndefined();
    expect(withPassword.display).toBe("redis://:***@host:6379/1");
    expect(parseRedisUrl("redis://ann:secret@host")).toMatchObject({ username: "ann", password: "secret", display: "redis://ann:***@host" });
  });

  it("takes rediss:// as Redis over TLS", () => {
    expect(parseRedisUrl("rediss://:pw@cache.example.org:6380/3")).toMatchObject({ tls: true, host: "cache.example.org", port: 6380, db: 3, password: "pw" });
  });

  it.each([
    ["http://host:6379", /must start with redis:\/\/ or rediss:\/\/, not http:\/\//],
    ["localhost:6379", /must start with redis:\/\/ or rediss:\/\/, not localhost:\/\//],
    ["redis//host", /is not a queue URL/],
    ["redis://host:99999", /is not a queue URL/],
    ["redis://host/cache", /path `\/cache` must be a database number/],
    ["redis://host/1/2", /path `\/1\/2` must be a database number/],
    ["redis://host?db=1", /has a query or fragment/],
  ])("refuses %s and says how to write it", (url, message) => {
    expect(() => parseRedisUrl(url)).toThrow(message);
    expect(() => parseRedisUrl(url)).toThrow(/redis:\/\/\[USER:PASSWORD@\]HOST\[:PORT\]\[\/DB\]/);
  });

  it.each(["redis://:hunter2@host?x", "redis://:hunter2@host/x", "redis://:hunter2@/0"])("does not repeat the password of %s in its error", (url) => {
    expect(() => parseRedisUrl(url)).toThrow();
    expect(() => parseRedisUrl(url)).not.toThrow(/hunter2/);
  });
});
