import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

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
