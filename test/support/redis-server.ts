import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";

/** A redis-server of the test's own on a free loopback port, stopped by its pid. */
export interface TestRedis {
  port: number;
  url: string;
  stop(): Promise<void>;
}

/** Starts `redis-server` (no persistence; `password` if given) and resolves once it accepts connections. */
export async function startRedis(password?: string): Promise<TestRedis> {
  const port = await freePort();
  const args = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  if (password !== undefined) args.push("--requirepass", password);
  const server = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  await ready(server);
  const auth = password === undefined ? "" : `:${encodeURIComponent(password)}@`;
  return { port, url: `redis://${auth}127.0.0.1:${port}`, stop: () => stop(server) };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function ready(server: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let said = "";
    const timer = setTimeout(() => fail(new Error(`redis-server did not start:\n${said}`)), 10_000);
    const fail = (error: Error) => {
      clearTimeout(timer);
      server.kill("SIGKILL");
      reject(error);
    };
    const exited = (code: number | null) => fail(new Error(`redis-server exited with ${code}:\n${said}`));
    server.once("error", fail);
    server.once("exit", exited);
    server.stdout!.on("data", (chunk: Buffer) => {
      said += chunk.toString();
      if (said.includes("Ready to accept connections")) {
        clearTimeout(timer);
        server.off("exit", exited);
        resolve();
      }
    });
  });
}

function stop(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    server.once("exit", () => resolve());
    process.kill(server.pid!, "SIGTERM");
  });
}
