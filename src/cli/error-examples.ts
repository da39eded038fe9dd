import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

export interface ErrorExample {
  /** Relative to the package root, with `/` separators. */
  path: string;
  text: string;
}

/** The spec `examples/errors/<CODE>-….reg` that shows a diagnostic, if the package has one. */
export function findErrorExample(root: string, code: string): ErrorExample | undefined {
  const folder = join(root, "examples", "errors");
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch {
    return undefined;
  }
  const name = names.filter((n) => n.startsWith(code) && n.endsWith(".reg")).sort()[0];
  if (!name) return undefined;
  return { path: `examples/errors/${name}`, text: readFileSync(join(folder, name), "utf8") };
}
