import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Whether files in `folder` are ES modules by their package: the nearest
 * package.json says `"type": "module"`. Elsewhere (CommonJS, or no
 * package.json) Node and TypeScript read a `.ts` file as CommonJS, where a
 * generated program's `import.meta` is an error (TS1470); `.mts` is an ES
 * module wherever it sits.
 */
export function isModulePackage(folder: string): boolean {
  for (let current = folder; ; current = dirname(current)) {
    try {
      const manifest = JSON.parse(readFileSync(join(current, "package.json"), "utf8")) as { type?: unknown };
      return manifest.type === "module";
    } catch {
      // No package.json here (or an unreadable one): look further up.
    }
    if (dirname(current) === current) return false;
  }
}
