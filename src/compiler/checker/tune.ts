import { higherIsBetter } from "../../shared/metric-names.js";
import type * as A from "../syntax/ast.js";
import { span, type Span } from "../syntax/span.js";
import { plural } from "../../shared/plural.js";
import { groupedDigits } from "../../shared/grouped-digits.js";
import { trainEpochs } from "../tuning/command-fit.js";
import { firstRungEpochs, lastRungUnreached, rungEpochs } from "../tuning/rungs.js";
import { findSpaces, type SearchSpace } from "../tuning/spaces.js";
import { bindArgs } from "./args.js";
import { epochCountedArguments, type EpochCountedArgument } from "./epoch-bounds.js";
import { lineSpan, mayHoldUnread, type CheckContext } from "./context.js";
import type { TuneInfo } from "./program.js";
import { INTEGER_MAX } from "./numbers.js";
import { checkMetric } from "./regularize.js";
import { collectSettings, requireSettings } from "./settings.js";
import { argsOf } from "./train.js";

/**
 * Search spaces and the `tune` block belong together: spaces without a block
 * (or a block without spaces) are reported with a fix; the block's settings
 * are checked, its objective against the metrics the spec reports, and its
 * method against the kinds of spaces it must search.
 */
export function checkTuning(ctx: CheckContext, ast: A.SpecFile): { spaces: SearchSpace[]; tune?: TuneInfo } {
  const { spaces, misplaced } = findSpaces(ast, ctx.text);
  for (const { call, block } of misplaced) {
    const why = block === "data" ? "every trial sees the same data, so that trials compare fairly" : "the `tune` block says how to search; it is not searched itself";
    ctx.sink.report("REG2022", call.span, { detail: `a search space cannot stand in the \`${block}\` block: ${why}` });
  }
  const blocks = ast.blocks.filter((b): b is A.TuneBlock => b.kind === "TuneBlock");
  blocks.slice(1).forEach((block) => {
    ctx.sink.report("REG5001", block.keyword, { name: "tune" }, { related: [{ span: blocks[0]!.keyword, message: "first declared here" }] });
  });
  const block = blocks[0];
  if (!block) {
    if (spaces.length > 0 && !mayHoldUnread(ctx, "tune")) reportSpacesWithoutTune(ctx, spaces);
    return { spaces };
  }
  const tune = checkTuneBlock(ctx, block, spaces);
  if (spaces.length === 0 && misplaced.length === 0) {
    ctx.sink.report("REG5021", block.keyword, {}, { fix: { title: "Remove the `tune` block", edits: [{ span: block.span, newText: "" }] } });
  }
  checkMethodFits(ctx, tune, spaces);
  checkGridTrials(ctx, tune, spaces);
  return { spaces, tune };
}

function reportSpacesWithoutTune(ctx: CheckContext, spaces: readonly SearchSpace[]): void {
  const end = ctx.text.length;
  const separator = ctx.text.endsWith("\n") ? "\n" : "\n\n";
  const newText = `${separator}tune {\n  trials    20\n  objective minimize val_loss\n  method    random\n}\n`;
  ctx.sink.report(
    "REG5020",
    spaces[0]!.call.span,
    { count: plural(spaces.length, "search space") },
    { hint: "add a `tune` block and train with `regc tune`", fix: { title: "Add a `tune` block", edits: [{ span: span(end, end), newText }] } },
  );
}

function checkTuneBlock(ctx: CheckContext, block: A.TuneBlock, spaces: readonly SearchSpace[]): TuneInfo {
  const info: TuneInfo = { block, trials: undefined, method: "random", direction: "minimize", objective: undefined, reduction: 3 };
  const { found, meant } = collectSettings(ctx, "tune", block.body);
  // The objective is a metric of the model the tasks train.
  const model = [...ctx.program.tasks.values()].find((t) => t.model)?.model;
  const spans = new Map<string, A.Setting>();
  for (const { setting, spec } of found) {
    spans.set(spec.name, setting);
    const value = bindArgs(spec.name, setting.keyword.span, setting.args, argsOf(spec), {
      sink: ctx.sink,
      special: (_arg, expr) => {
        if (expr.kind === "Ref") checkMetric(ctx, model, expr, "REG4020");
      },
    }).values["value"];
    if (spec.name === "trials" && typeof value === "number") info.trials = value;
    if (spec.name === "method" && typeof value === "string") info.method = value as TuneInfo["method"];
    if (spec.name === "reduction" && typeof value === "number") info.reduction = value;
    if (spec.name === "min_epochs" && typeof value === "number") info.minEpochs = value;
    if (spec.name === "objective") {
      info.direction = setting.qualifier?.name === "maximize" ? "maximize" : "minimize";
      if (typeof value === "string") info.objective = value;
      checkObjectiveDirection(ctx, setting, info);
    }
  }
  requireSettings(ctx, "tune", undefined, block, new Set(found.map((f) => f.spec.name)), meant);
  checkHalvingSettings(ctx, info, spans, spaces);
  return info;
}

/** An objective sought the wrong way (`maximize val_loss`) makes the worst trial the best: warned, with the word that fits. */
function checkObjectiveDirection(ctx: CheckContext, setting: A.Setting, info: TuneInfo): void {
  const higher = info.objective === undefined ? undefined : higherIsBetter(info.objective);
  const qualifier = setting.qualifier;
  // A misspelt word (`maximise`) is reported as such, and says no direction.
  if (higher === undefined || (qualifier?.name !== "maximize" && qualifier?.name !== "minimize") || higher === (info.direction === "maximize")) return;
  const fitting = higher ? "maximize" : "minimize";
  ctx.sink.report(
    "REG4021",
    qualifier.span,
    { metric: info.objective!, better: higher ? "higher" : "lower", direction: info.direction },
    { hint: `write \`objective ${fitting} ${info.objective}\``, fix: { title: `Replace with \`${fitting}\``, edits: [{ span: qualifier.span, newText: fitting }] } },
  );
}

/** `reduction` and `min_epochs` shape halving's rungs: elsewhere they change nothing, and rungs need the trials and epochs to hold them. */
function checkHalvingSettings(ctx: CheckContext, info: TuneInfo, spans: ReadonlyMap<string, A.Setting>, spaces: readonly SearchSpace[]): void {
  if (info.method !== "halving") {
    for (const name of ["reduction", "min_epochs"]) {
      const setting = spans.get(name);
      if (setting) ctx.sink.report("REG5007", setting.keyword.span, { detail: `\`${name}\` shapes \`method halving\`'s rungs; under \`method ${info.method}\` it changes nothing` }, { fix: { title: `Remove \`${name}\``, edits: [{ span: lineSpan(ctx.text, setting.span), newText: "" }] } });
    }
    return;
  }
  const epochs = trainEpochs(ctx.program);
  const minEpochs = spans.get("min_epochs");
  if (minEpochs && info.minEpochs !== undefined && epochs !== undefined && info.minEpochs > epochs) {
    ctx.sink.report("REG2001", minEpochs.span, { what: "`min_epochs`", range: `at most the train block's \`epochs\`, ${epochs}`, value: String(info.minEpochs) });
  }
  if (epochs !== undefined) checkFirstRungHoldsCounts(ctx, info, epochs, spans.get("min_epochs")?.span ?? spans.get("method")?.span ?? info.block.keyword);
  const trials = spans.get("trials");
  // Searched epochs are an error under halving (REG5022): they make no rungs to reach.
  if (trials && info.trials !== undefined && epochs !== undefined && !spaces.some((space) => space.name === "train.epochs")) {
    const unreached = lastRungUnreached(info.trials, rungEpochs(firstRungEpochs(info, epochs), epochs, info.reduction), info.reduction);
    if (unreached) ctx.sink.report("REG5007", trials.span, { detail: unreached.detail }, { hint: unreached.hint });
  }
}

/**
 * Every trial trains its first rung's epochs, so a clause that makes
 * something once per epoch at most (a snapshot ensemble's cycles) needs as
 * many there; with fewer its trials would be refused (they train with
 * `--epochs`), so the tuning is, here.
 */
function checkFirstRungHoldsCounts(ctx: CheckContext, info: TuneInfo, epochs: number, at: Span): void {
  const firstRung = firstRungEpochs(info, epochs);
  // The largest count, the first where several are as large.
  const counted = epochCountedArguments(ctx.program.regularize).reduce<EpochCountedArgument | undefined>((most, argument) => (most === undefined || argument.value > most.value ? argument : most), undefined);
  if (counted === undefined || counted.value <= firstRung) return;
  const most = counted.value;
  ctx.sink.report(
    "REG2001",
    at,
    { what: "halving's first rung", range: `at least \`${counted.use.technique.name}\`'s ${most} \`${counted.spec.name}\`, which every trial trains`, value: `${plural(firstRung, "epoch")}${info.minEpochs === undefined ? " (the epochs over `reduction`², by default)" : ""}` },
    { hint: `write \`min_epochs ${most}\`, or fewer \`${counted.spec.name}\`` },
  );
}

/**
 * A grid runs `min(trials, points)` of its points in order, the last space
 * varying fastest: more trials than points change nothing, and fewer try
 * only the first spaces' first values. A grid past the most `trials` can
 * ask for is never trained whole: it is said so, with no count to ask for.
 */
function checkGridTrials(ctx: CheckContext, tune: TuneInfo, spaces: readonly SearchSpace[]): void {
  if (tune.method !== "grid" || tune.trials === undefined || spaces.length === 0 || spaces.some((space) => space.kind !== "choice")) return;
  const points = spaces.reduce((product, space) => product * space.options.length, 1);
  const trials = tune.block.body.find((statement): statement is A.Setting => statement.kind === "Setting" && statement.keyword.name === "trials");
  if (!trials || tune.trials === points) return;
  const firstOnly = `\`trials ${tune.trials}\` runs only the first ${groupedDigits(tune.trials)}: \`${spaces[0]!.name}\` would keep its first values`;
  if (points > INTEGER_MAX) {
    const detail = `the grid has more than ${groupedDigits(INTEGER_MAX)} points, the most \`trials\` can ask for, and ${firstOnly}`;
    ctx.sink.report("REG5007", trials.span, { detail }, { hint: `use \`method random\` to sample ${groupedDigits(tune.trials)} points across the spaces, or list fewer values` });
    return;
  }
  const grid = `the grid has ${groupedDigits(points)} ${points === 1 ? "point" : "points"}`;
  const detail = tune.trials > points ? `${grid}, so \`trials ${tune.trials}\` runs ${groupedDigits(points)}` : `${grid}, and ${firstOnly}`;
  const value = trials.args[0]?.value?.span ?? trials.span;
  const fix = { title: `Ask for ${points} trials`, edits: [{ span: value, newText: String(points) }] };
  ctx.sink.report("REG5007", trials.span, { detail }, { hint: tune.trials > points ? `write \`trials ${points}\`` : `ask for ${groupedDigits(points)} trials, or use \`method random\` to sample ${groupedDigits(tune.trials)} points across the spaces`, fix });
}

function checkMethodFits(ctx: CheckContext, tune: TuneInfo, spaces: readonly SearchSpace[]): void {
  for (const space of spaces) {
    if (tune.method === "grid" && space.kind !== "choice") {
      ctx.sink.report("REG5022", space.call.callee.span, {
        detail: `\`method grid\` trains every combination of listed values, and \`${space.kind}\` lists none`,
      }, { hint: "list the values to try with `choice(…)`, or use `method random`" });
    }
    if (tune.method === "halving" && space.name === "train.epochs") {
      ctx.sink.report("REG5022", space.call.callee.span, {
        detail: "`method halving` decides how many epochs each trial gets, so `epochs` cannot be searched",
      }, { hint: "write the most epochs a trial may run, or use `method random`" });
    }
  }
}
