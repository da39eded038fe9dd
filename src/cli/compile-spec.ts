import { resolve } from "node:path";
import { check, hasErrors, type CheckOptions } from "../compiler/index.js";
import { emitTypeScript } from "../compiler/emit/emit.js";
import { renderText } from "../compiler/diagnostics/render/text.js";
import type { Output } from "./command.js";
import { readSpecs, type SpecText } from "./read-specs.js";
import { UsageError } from "./usage-error.js";

export type Compiled = { ok: true; spec: SpecText; fileName: string; code: string } | { ok: false };

/**
 * Reads, checks and compiles one spec for `compile` and `run`. Errors (the
 * checker's, or what cannot be compiled yet) are printed as `regc check`
 * prints them; warnings are printed and compilation goes on.
 */
export async function compileSpec(paths: readonly string[], outDir: string, output: Output, command: string, options: CheckOptions = {}): Promise<Compiled> {
  if (paths.length !== 1) throw new UsageError(`\`regc ${command}\` takes one spec file, not ${paths.length}`);
  const [spec] = readSpecs(paths);
  const path = resolve(spec!.path);
  const checked = check(spec!.text, { ...options, path });
  const show = (diagnostics: typeof checked.diagnostics) => {
    const rendered = renderText([{ ...spec!, diagnostics }], { color: output.color });
    if (rendered) output.stderr(`${rendered}\n`);
  };
  if (hasErrors(checked.diagnostics)) {
    show(checked.diagnostics);
    return { ok: false };
  }
  show(checked.diagnostics);
  const emitted = await emitTypeScript({ checked, text: spec!.text, specPath: path, outDir });
  if (!emitted.ok) {
    show(emitted.diagnostics);
    return { ok: false };
  }
  return { ok: true, spec: spec!, fileName: emitted.fileName, code: emitted.code };
}
