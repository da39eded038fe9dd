import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

export const ROOT = join(import.meta.dirname, "..", "..");
export const EXAMPLES = join(ROOT, "examples");
const LAUNCHER = join(ROOT, "bin", "regc.js");

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Starts the built `regc` in `cwd`, as a user would; `onStderr` sees the output as it arrives. */
export function startRegc(args: string[], cwd: string, onStderr?: (soFar: string, child: ChildProcess) => void): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { cwd, env: { ...process.env, NO_COLOR: "1", CI: "1" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      onStderr?.(stderr, child);
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The one run folder a `regc run` made under `runs` (`.compiled` and other dot-folders aside). */
export function onlyRunFolder(runs: string): string {
  const folders = readdirSync(runs).filter((name) => !name.startsWith("."));
  expect(folders).toHaveLength(1);
  return join(runs, folders[0]!);
}

export function readJson<T>(path: string): T {
  return JSON.parse(readFileSync(path, "utf8")) as T;
}
