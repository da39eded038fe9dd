import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import { ROOT } from "../../e2e/support.js";

/** A `regc worker` process in a process group of its own, so a test can kill it with its trials as a crashed machine would. */
export interface WorkerProcess {
  child: ChildProcess;
  /** Everything it said so far. */
  log(): string;
  /** Resolves when its output matches `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with its exit code once it ended. */
  exited: Promise<number | null>;
  /** SIGKILL to the worker and the `regc run` processes it started. */
  kill(): void;
}

/** `scratch` is the test's own folder: a killed worker's scratch space stays there, not in the system's temporary folder. */
export function startWorker(url: string, scratch: string, ...args: string[]): WorkerProcess {
  const child = spawn(process.execPath, [join(ROOT, "bin", "regc.js"), "worker", "--queue", url, ...args], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NO_COLOR: "1", TMPDIR: scratch },
  });
  let said = "";
  const waiters = new Set<() => void>();
  const hear = (chunk: Buffer) => {
    said += chunk.toString();
    for (const check of waiters) check();
  };
  child.stdout!.on("data", hear);
  child.stderr!.on("data", hear);
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return {
    child,
    log: () => said,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => done(new Error(`the worker did not say ${pattern} within ${timeoutMs} ms; it said:\n${said}`)), timeoutMs);
        const check = () => pattern.test(said) && done();
        const done = (error?: Error) => {
          clearTimeout(timer);
          waiters.delete(check);
          if (error) reject(error);
          else resolve();
        };
        waiters.add(check);
        check();
      });
    },
    kill() {
      if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
    },
  };
}

/** How often `text` occurs in `log`. */
export function count(log: string, text: string): number {
  return log.split(text).length - 1;
}
