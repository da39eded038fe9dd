import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

/**
 * What `npm pack` puts in the tarball, read from its dry run (dist/ is the
 * one the global setup built): every file the manifest points users at is
 * in it, and nothing a build left behind from sources since gone.
 */

const ROOT = join(import.meta.dirname, "..");

interface Manifest {
  bin: Record<string, string>;
  exports: Record<string, string | Record<string, string>>;
}

let packed: Set<string>;
let manifest: Manifest;

beforeAll(() => {
  const dryRun = execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: ROOT, encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] });
  const [tarball] = JSON.parse(dryRun) as Array<{ files: Array<{ path: string }> }>;
  packed = new Set(tarball!.files.map((file) => file.path));
  manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest;
});

/** `./dist/x.js` → `dist/x.js`, as npm lists it. */
function packagePath(target: string): string {
  return target.replace(/^\.\//, "");
}

describe("the npm tarball", () => {
  it("holds every bin and every target of the exports map", () => {
    const targets = [
      ...Object.values(manifest.bin),
      ...Object.values(manifest.exports).flatMap((target) => (typeof target === "string" ? [target] : Object.values(target))),
    ].map(packagePath);
    expect(targets.filter((target) => !packed.has(target))).toEqual([]);
  });

  it("ships a declaration only for a source that exists: one renamed or removed leaves none behind", () => {
    const declarations = [...packed].filter((path) => path.startsWith("dist/types/"));
    expect(declarations.length).toBeGreaterThan(0);
    const orphans = declarations.filter((path) => {
      const source = join(ROOT, "src", path.slice("dist/types/".length).replace(/\.d\.ts$/, ""));
      return !existsSync(`${source}.ts`) && !existsSync(`${source}.d.ts`);
    });
    expect(orphans).toEqual([]);
  });
});
