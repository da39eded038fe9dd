import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ALL_CODES, check } from "../src/compiler/index.js";
import { renderText } from "../src/compiler/diagnostics/render/text.js";
import { emitTypeScript } from "../src/compiler/emit/emit.js";
import { tuningProblems } from "../src/compiler/tuning/command-fit.js";
import { EXAMPLES_DIR } from "./support/examples.js";

/**
 * `examples/errors/CODE-what.reg` holds one spec per diagnostic code and,
 * beside it, `.expected`: what `regc check` prints for it (for REG7xxx, what
 * `regc compile` adds to a spec that checks, and for REG7003 what `regc tune`
 * adds). Run with UPDATE_GOLDEN=1 to rewrite the expectations after an
 * intended change.
 */

const ERRORS_DIR = join(EXAMPLES_DIR, "errors");
const specs = readdirSync(ERRORS_DIR).filter((f) => f.endsWith(".reg")).sort();

async function render(name: string): Promise<string> {
  const path = join(ERRORS_DIR, name);
  const text = readFileSync(path, "utf8");
  const checked = check(text, { path });
  let diagnostics = checked.diagnostics;
  if (name.startsWith("REG7003")) {
    diagnostics = [...diagnostics, ...tuningProblems(checked.program, name)];
  } else if (name.startsWith("REG7")) {
    const emitted = await emitTypeScript({ checked, text, specPath: path, outDir: ERRORS_DIR });
    diagnostics = [...diagnostics, ...(emitted.ok ? [] : emitted.diagnostics)];
  }
  return renderText([{ path: `examples/errors/${name}`, text, diagnostics }], { color: false });
}

describe("error examples", () => {
  it("cover every diagnostic code", () => {
    const covered = new Set(specs.map((f) => f.slice(0, 7)));
    expect(ALL_CODES.filter((code) => !covered.has(code))).toEqual([]);
  });

  for (const name of specs) {
    it(`${name} reports ${name.slice(0, 7)} as expected`, async () => {
      const output = await render(name);
      expect(output).toContain(`[${name.slice(0, 7)}]`);
      const golden = join(ERRORS_DIR, name.replace(/\.reg$/, ".expected"));
      if (process.env.UPDATE_GOLDEN) writeFileSync(golden, output);
      expect(existsSync(golden), `missing ${golden}: run with UPDATE_GOLDEN=1`).toBe(true);
      expect(output).toBe(readFileSync(golden, "utf8"));
    });
  }
});
