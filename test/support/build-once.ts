import { execFileSync } from "node:child_process";
import { join } from "node:path";

/** Builds dist/ from the current sources before any test runs. */
export default function buildOnce(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, "..", "..", "scripts", "build.mjs")], { stdio: "inherit" });
}
