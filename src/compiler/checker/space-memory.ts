import type * as A from "../syntax/ast.js";
import type { Span } from "../syntax/span.js";
import type { SearchSpace } from "../tuning/spaces.js";
import { numberText, writePoint, type Point } from "../tuning/write-point.js";
import type { CheckContext } from "./context.js";
import { checkMemory, formatBytes, memoryBudget, memoryUse, reportOverBudget, type MemoryUse } from "./memory.js";
import type { Program } from "./program.js";

/** The program of a spec written at one point of its spaces, checked whole. */
export type CheckPointText = (text: string) => Program;

/** Steps a range of any numbers is cut into when looking for the largest value that fits. */
const RANGE_STEPS = 1000;

/** A space whose values are numbers, in increasing order. */
interface NumericSpace {
  space: SearchSpace;
  count: number;
  /** The index-th value, as a point writes it (a choice's option as written). */
  value(index: number): string | number;
  /** The index-th value as a person reads it. */
  text(index: number): string;
}

/**
 * The memory check of a spec with search spaces. The checker's program
 * stands for one point (each space's first choice or low bound) and the
 * trials train others. A space that memory may read — a number in a model
 * block or the batch — is tried at both ends, the spec written and checked
 * there, which tells which end is heavier, or that memory does not depend
 * on it. No trial fits when even the point with each such space at its
 * lighter end is over the budget: REG3008. Where that point fits but a
 * space's heavier end (the others at their lighter) does not, the trials
 * past the last value that fits would fail: REG3009 names it.
 */
export function checkSpacesMemory(ctx: CheckContext, program: Program, checkPointText: CheckPointText): void {
  // A spec with errors trains no trial; its points would be checked for nothing.
  if (ctx.sink.items.some((d) => d.severity === "error")) {
    checkMemory(ctx, program);
    return;
  }
  const budget = memoryBudget(ctx);
  const base: Record<string, string | number> = Object.fromEntries(program.spaces.map((space) => [space.name, space.kind === "choice" ? space.options[0]! : space.low]));
  const memo = new Map<string, Map<string, MemoryUse>>();
  const usesAt = (point: Point): Map<string, MemoryUse> => {
    const key = JSON.stringify(point);
    let uses = memo.get(key);
    if (!uses) {
      const checked = checkPointText(writePoint(ctx.text, point));
      uses = new Map();
      for (const model of checked.models.values()) {
        const use = memoryUse(checked, model);
        if (use) uses.set(model.name, use);
      }
      memo.set(key, uses);
    }
    return uses;
  };
  const heaviest = (uses: ReadonlyMap<string, MemoryUse>) => Math.max(0, ...[...uses.values()].map((use) => use.needed));

  const dependent = program.spaces
    .filter((space) => readByMemory(space.span, program))
    .flatMap((space) => numericSpace(space) ?? [])
    .flatMap((numeric) => {
      const atEnd = (index: number) => heaviest(usesAt({ ...base, [numeric.space.name]: numeric.value(index) }));
      const [low, high] = [atEnd(0), atEnd(numeric.count - 1)];
      return low === high ? [] : [{ numeric, heavierHigh: high > low }];
    });
  if (dependent.length === 0) {
    checkMemory(ctx, program);
    return;
  }

  const lighterEnd = (numeric: NumericSpace, heavierHigh: boolean) => (heavierHigh ? 0 : numeric.count - 1);
  const lightest: Point = { ...base, ...Object.fromEntries(dependent.map(({ numeric, heavierHigh }) => [numeric.space.name, numeric.value(lighterEnd(numeric, heavierHigh))])) };
  const lightestText = dependent.map(({ numeric, heavierHigh }) => `\`${numeric.space.name}\` ${numeric.text(lighterEnd(numeric, heavierHigh))}`).join(", ");
  let overAtLightest = false;
  for (const [name, use] of usesAt(lightest)) {
    const model = program.models.get(name);
    if (!model || use.needed <= budget) continue;
    overAtLightest = true;
    reportOverBudget(ctx, model, use, budget, `that is at the lightest point of the search spaces (${lightestText}): no trial would fit`);
  }
  if (overAtLightest) return;

  for (const { numeric, heavierHigh } of dependent) {
    // Indices from the lighter end to the heavier: the last that fits is sought.
    const index = (step: number) => (heavierHigh ? step : numeric.count - 1 - step);
    const usesAtStep = (step: number) => usesAt({ ...lightest, [numeric.space.name]: numeric.value(index(step)) });
    const heavy = usesAtStep(numeric.count - 1);
    const [model, use] = [...heavy].find(([, use]) => use.needed > budget) ?? [];
    if (!model || !use) continue;
    let fits = 0;
    let over = numeric.count - 1;
    while (over - fits > 1) {
      const middle = Math.floor((fits + over) / 2);
      if (heaviest(usesAtStep(middle)) <= budget) fits = middle;
      else over = middle;
    }
    const others = dependent.length > 1 ? " (the other spaces at their lightest)" : "";
    ctx.sink.report(
      "REG3009",
      numeric.space.span,
      { space: numeric.space.name, beyond: `${heavierHigh ? "above" : "below"} ${numeric.text(index(fits))}`, extreme: numeric.text(index(numeric.count - 1)), model, needed: formatBytes(use.needed), budget: formatBytes(budget) },
      { hint: `search \`${numeric.space.name}\` ${heavierHigh ? "up to" : "from"} ${numeric.text(index(fits))}${others}, or raise the budget with \`--memory-budget SIZE\`` },
    );
  }
}

/** Whether memory may depend on a value written at `span`: what the estimate reads is the model's layers and the batch. */
function readByMemory(span: Span, program: Program): boolean {
  const within = (outer: Span | undefined) => outer !== undefined && outer.start <= span.start && span.end <= outer.end;
  return [...program.models.values()].some((model) => within(model.span)) || within(program.train?.settingSpans.get("batch"));
}

function numericSpace(space: SearchSpace): NumericSpace | undefined {
  const unit = space.unit ?? "";
  switch (space.kind) {
    case "choice": {
      const numbers = space.call.args.map((arg) => arg.value).filter((value): value is A.NumberLit => value?.kind === "Number");
      if (numbers.length !== space.options.length || numbers.length < 2 || numbers.some((n) => n.unit !== numbers[0]!.unit)) return undefined;
      const sorted = numbers.map((number, i) => ({ value: number.value, option: space.options[i]! })).sort((a, b) => a.value - b.value);
      return { space, count: sorted.length, value: (i) => sorted[i]!.option, text: (i) => sorted[i]!.option };
    }
    case "int_uniform":
      if (space.high <= space.low) return undefined;
      return { space, count: space.high - space.low + 1, value: (i) => space.low + i, text: (i) => `${space.low + i}${unit}` };
    case "uniform":
    case "log_uniform": {
      if (space.high <= space.low) return undefined;
      const step = (i: number) => (space.kind === "uniform" ? space.low + ((space.high - space.low) * i) / RANGE_STEPS : space.low * (space.high / space.low) ** (i / RANGE_STEPS));
      const at = (i: number) => (i === 0 ? space.low : i === RANGE_STEPS ? space.high : Number(step(i).toPrecision(3)));
      return { space, count: RANGE_STEPS + 1, value: at, text: (i) => `${numberText(at(i))}${unit}` };
    }
  }
}
