import type { CheckContext } from "./context.js";
import * as catalog from "../catalog/index.js";
import type { ClauseUse, RegularizeInfo, TrainInfo } from "./program.js";

/** The key a technique without `on` claims: it acts on the model as a whole. */
const MODEL_WIDE = "";

/**
 * Clauses that cannot hold together on one model: a technique the catalog
 * marks unique given twice, and two techniques of one conflict group (two
 * constraints, or l2 with decoupled decay) acting on the same parameter —
 * or, for techniques that take no `on` (two adversarial trainings), on the
 * same model.
 */
export function checkConflicts(ctx: CheckContext, blocks: readonly RegularizeInfo[]): void {
  const byModel = new Map<string, ClauseUse[]>();
  for (const block of blocks) {
    if (!block.model) continue;
    const uses = byModel.get(block.model.name) ?? [];
    uses.push(...block.uses);
    byModel.set(block.model.name, uses);
  }
  for (const uses of byModel.values()) {
    const unique = new Map<string, ClauseUse>();
    const claimed = new Map<string, ClauseUse>();
    for (const use of uses) {
      const { technique } = use;
      if (technique.unique) {
        const earlier = unique.get(technique.name);
        if (earlier) {
          ctx.sink.report("REG5004", use.techniqueSpan, { detail: `\`${technique.name}\` is given twice for one model` }, {
            related: [{ span: earlier.techniqueSpan, message: "first given here" }],
          });
          continue;
        }
        unique.set(technique.name, use);
      }
      const group = technique.conflictGroup;
      if (!group) continue;
      const modelWide = technique.clauses.on === undefined;
      for (const param of modelWide ? [MODEL_WIDE] : new Set(use.on)) {
        const key = `${group}:${param}`;
        const earlier = claimed.get(key);
        if (!earlier) {
          claimed.set(key, use);
          continue;
        }
        const same = earlier.technique.name === technique.name;
        const target = modelWide ? "the model" : `\`${param}\``;
        ctx.sink.report("REG5004", use.techniqueSpan, {
          detail: same
            ? `\`${technique.name}\` applies twice to ${target}`
            : `\`${technique.name}\` and \`${earlier.technique.name}\` both act on ${target} (${group.replace(/_/g, " ")})`,
        }, { related: [{ span: earlier.techniqueSpan, message: `\`${earlier.technique.name}\` is here` }] });
        break;
      }
    }
  }
}

/** A technique the optimizer already does to every weight (`weight_decay` under `adamw`): given as well, it would act twice. */
export function checkOptimizerConflicts(ctx: CheckContext, blocks: readonly RegularizeInfo[], train: TrainInfo | undefined): void {
  const optimizer = train?.settings.get("optimizer")?.calls["value"];
  const does = optimizer && catalog.fn("optimizer", optimizer.name)?.doesTechnique;
  if (!optimizer || !does) return;
  for (const use of blocks.flatMap((block) => block.uses)) {
    if (use.technique.name !== does) continue;
    ctx.sink.report("REG5004", use.techniqueSpan, { detail: `\`${does}\` shrinks the weights that the \`${optimizer.name}\` optimizer already decays` }, {
      hint: `use one or the other: \`${optimizer.name}\` alone, or \`${does}\` with \`adam\``,
    });
  }
}
