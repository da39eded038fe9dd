import type * as A from "../syntax/ast.js";
import type { ArgSpec, SettingSpec } from "../catalog/types.js";
import { bindArgs } from "./args.js";
import type { CheckContext } from "./context.js";
import type { TrainInfo } from "./program.js";
import { collectSettings, requireSettings } from "./settings.js";

/** Checks a `train` block's settings against the catalog. */
export function checkTrain(ctx: CheckContext, block: A.TrainBlock): TrainInfo {
  const info: TrainInfo = { block, span: block.span, keyword: block.keyword, settings: new Map(), settingSpans: new Map(), solver: "gradient" };
  const { found: settings, meant } = collectSettings(ctx, "train", block.body);
  for (const { setting, spec } of settings) {
    const bound = bindArgs(spec.name, setting.keyword.span, setting.args, argsOf(spec), { sink: ctx.sink });
    info.settings.set(spec.name, bound);
    info.settingSpans.set(spec.name, setting.span);
  }
  checkScheduleFloor(ctx, info);
  const solver = info.settings.get("solver")?.values["value"];
  if (typeof solver === "string") info.solver = solver;
  const present = new Set(settings.map((s) => s.spec.name));
  // A closed-form solve needs no optimizer, epochs or batches; nor may a solver written wrong (already reported).
  const solverUnknown = meant.has("solver") || (present.has("solver") && typeof solver !== "string");
  const exempt = new Set([...meant, ...(info.solver === "closed_form" || solverUnknown ? ["optimizer", "epochs", "batch"] : [])]);
  requireSettings(ctx, "train", block.name?.name, block, present, exempt);
  return info;
}

/** A setting's value as argument specs, so one binder checks every setting form. */
export function argsOf(spec: SettingSpec): ArgSpec[] {
  const value = spec.value;
  switch (value.kind) {
    case "args":
      return value.args;
    case "call":
      return [{ name: "value", type: { kind: "call", family: value.family }, doc: spec.doc, required: true, positional: true }];
    case "word":
      return [{ name: "value", type: { kind: "enum", values: value.values }, doc: spec.doc, required: true, positional: true }];
    default:
      return [];
  }
}

/** A schedule's lowest rate (`cosine`'s `min_lr`) at or above the optimizer's own would anneal upward, or not at all. */
function checkScheduleFloor(ctx: CheckContext, info: TrainInfo): void {
  const schedule = info.settings.get("schedule")?.calls["value"];
  const optimizer = info.settings.get("optimizer")?.calls["value"];
  const floor = schedule?.values["min_lr"];
  const rate = optimizer?.values["lr"];
  if (typeof floor !== "number" || typeof rate !== "number" || floor < rate || floor === 0) return;
  ctx.sink.report("REG2001", info.settingSpans.get("schedule")!, { what: `\`min_lr\` of \`${schedule!.name}\``, range: `below the optimizer's learning rate, ${rate}`, value: String(floor) });
}
