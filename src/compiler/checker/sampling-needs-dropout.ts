import type { CheckContext } from "./context.js";
import type { ModelInfo, RegularizeInfo } from "./program.js";

/**
 * `mc_dropout` averages prediction passes that differ only in their
 * dropout masks: on a model without dropout (no `dropout` layer, no
 * `dropout` clause in any of its `regularize` blocks) every pass is the
 * same, and the clause changes nothing.
 */
export function checkSamplingNeedsDropout(ctx: CheckContext, blocks: readonly RegularizeInfo[], models: Iterable<ModelInfo>): void {
  for (const model of models) {
    const own = blocks.filter((block) => block.model === model);
    // A clause or layer that did not resolve may be the dropout.
    if (model.unresolved || own.some((block) => block.unresolved)) continue;
    const uses = own.flatMap((block) => block.uses);
    const sampling = uses.find((use) => use.technique.name === "mc_dropout");
    if (!sampling) continue;
    const hasDropout = model.layers.some((layer) => layer.kind === "dropout") || uses.some((use) => use.technique.name === "dropout");
    if (hasDropout) continue;
    ctx.sink.report(
      "REG5007",
      sampling.techniqueSpan,
      { detail: `\`mc_dropout\` averages passes that differ only in their dropout masks, and \`${model.name}\` has no dropout: every pass is the same` },
      { hint: `add dropout to \`${model.name}\` (\`dropout(0.5) after LAYER\`), or remove \`mc_dropout\`` },
    );
  }
}
