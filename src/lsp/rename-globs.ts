import type { Declaration, GlobReference } from "../compiler/binder/symbols.js";
import { globMatcher } from "../compiler/checker/glob.js";
import type { Program } from "../compiler/checker/program.js";
import type { LineIndex } from "../compiler/syntax/span.js";

/**
 * Why renaming a layer would change what a glob of its model matches:
 * `h*.kernel` matches `h1` by its name, so renaming `h1` to `dense1` would
 * drop it from the clause, and renaming `out` to `h3` would add it, with no
 * edit to show it. Undefined when every glob matches what it matched.
 */
export function globMatchChange(program: Program, lines: LineIndex, layer: Declaration, newName: string): string | undefined {
  if (layer.kind !== "layer" || !layer.owner) return undefined;
  const paramNames = program.models.get(layer.owner.name)?.byName.get(layer.name)?.paramNames ?? [];
  const matching = new Set(program.symbols.globsMatching(layer));
  for (const glob of program.symbols.globs) {
    if (glob.model.name !== layer.owner.name) continue;
    const { layerPattern, paramPattern } = patternParts(glob);
    // `h1.*` names its layer, and the rename edits that name with the others.
    if (!layerPattern.includes("*")) continue;
    const matched = matching.has(glob);
    const willMatch = globMatcher(layerPattern)(newName) && (paramPattern === undefined || paramNames.some(globMatcher(paramPattern)));
    if (matched === willMatch) continue;
    const where = `\`${glob.pattern}\` on line ${lines.position(glob.span.start).line + 1}`;
    const what = glob.kind === "param" ? `\`${layer.name}\`'s parameters` : `\`${layer.name}\``;
    const change = matched ? `matches ${what} now, and would not as \`${newName}\`` : `would match ${what} as \`${newName}\`, which it does not now`;
    return `Renaming \`${layer.name}\` to \`${newName}\` would change what ${where} regularizes: it ${change}. Choose a name the glob treats alike, or write the layers it should match by name.`;
  }
  return undefined;
}

/** A layer glob is a layer pattern; a parameter glob `LAYER.PARAM` has both. */
function patternParts(glob: GlobReference): { layerPattern: string; paramPattern?: string } {
  if (glob.kind === "layer") return { layerPattern: glob.pattern };
  const dot = glob.pattern.indexOf(".");
  return { layerPattern: glob.pattern.slice(0, dot), paramPattern: glob.pattern.slice(dot + 1) };
}
