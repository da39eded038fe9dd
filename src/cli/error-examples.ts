import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface ErrorExample {
  /** Relative to the package root, with `/` separators. */
  path: string;
  text: string;
}

/** The spec `examples/errors/<CODE>-….reg` that shows a diagnostic, if the package has one. */
export function findErrorExample(root: string, code: string): ErrorExample | undefined {
  return findErrorExamples(root, code)[0];
}

/** Every spec in `examples/errors/` that shows a diagnostic, sorted by name (one per kind of misuse). */
export function findErrorExamples(root: string, code: string): ErrorExample[] {
  const folder = join(root, "examples", "errors");
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return [];
  }
  return names
    .filter((n) => n.startsWith(code) && n.endsWith(".reg"))
    .sort()
    .map((name) => ({ path: `examples/errors/${name}`, text: readFileSync(join(folder, name), "utf8") }));
}
