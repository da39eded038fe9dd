import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export const EXAMPLES_DIR = join(import.meta.dirname, "..", "..", "examples");

/** The contract examples: name, path and text. */
export function contractExamples(): Array<{ name: string; path: string; text: string }> {
  return readdirSync(EXAMPLES_DIR)
    .filter((f) => f.endsWith(".reg"))
    .sort()
    .map((name) => {
      const path = join(EXAMPLES_DIR, name);
      return { name, path, text: readFileSync(path, "utf8") };
    });
}
