import { DEFAULT_MEMORY_BUDGET } from "../catalog/index.js";
import type { CheckContext } from "./context.js";
import { shapeSize, type ModelInfo, type Program } from "./program.js";
import { shapesKnown } from "./model.js";
import { groupedDigits } from "../../shared/grouped-digits.js";

const FLOAT32_BYTES = 4;
/** Copies of every parameter training holds: the weights, their gradients and two optimizer slots (Adam's moments). */
const PARAMETER_COPIES = 4;
/** Copies of every layer output per batch: the forward value and its gradient on the way back. */
const ACTIVATION_COPIES = 2;

/** What training one model holds at once, as the checker estimates it. */
export interface MemoryUse {
  needed: number;
  params: number;
  /** Values of every layer's output (and the input) for one example. */
  activations: number;
  batch: number;
}

/**
 * Refuses a model whose training would not fit the memory budget, before
 * anything is allocated: `dense(100000000)` is an error here rather than
 * an aborted wasm backend or gigabytes taken at `regc run`.
 */
export function checkMemory(ctx: CheckContext, program: Program): void {
  const budget = memoryBudget(ctx);
  for (const model of program.models.values()) {
    const use = memoryUse(program, model);
    if (use && use.needed > budget) reportOverBudget(ctx, model, use, budget);
  }
}

export function memoryBudget(ctx: CheckContext): number {
  return ctx.memoryBudget ?? DEFAULT_MEMORY_BUDGET;
}

/** What training `model` holds at once; undefined while its shapes are unknown. */
export function memoryUse(program: Program, model: ModelInfo): MemoryUse | undefined {
  if (!shapesKnown(model)) return undefined;
  const batch = batchSize(program, model);
  const activations = model.layers.reduce((sum, layer) => sum + shapeSize(layer.outputShape!), shapeSize(model.inputShape ?? [0]));
  const needed = FLOAT32_BYTES * (PARAMETER_COPIES * model.paramCount + ACTIVATION_COPIES * batch * activations);
  return { needed, params: model.paramCount, activations, batch };
}

/** REG3008 on `model`'s name; `hint` says at which of a search's points, where the spec has spaces. */
export function reportOverBudget(ctx: CheckContext, model: ModelInfo, use: MemoryUse, budget: number, hint?: string): void {
  ctx.sink.report(
    "REG3008",
    model.nameSpan,
    {
      model: model.name,
      needed: formatBytes(use.needed),
      params: groupedDigits(use.params),
      activations: groupedDigits(use.activations),
      batch: use.batch,
      budget: formatBytes(budget),
    },
    hint === undefined ? {} : { hint },
  );
}

/**
 * The batch the spec trains with: no more than the training split's rows, as
 * the trainer takes, where they are known; a closed-form solve, or a spec
 * without a batch, takes the whole training split at once.
 */
function batchSize(program: Program, model: ModelInfo): number {
  const batch = program.train?.settings.get("batch")?.values["value"];
  const rows = model.data?.splits.get("train")?.rows;
  if (typeof batch === "number") return rows === undefined ? batch : Math.min(batch, rows);
  return rows ?? 1;
}

/** `2 GB`, `512 MB`, `8.3 GB`: binary units, as memory is sold. */
export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB", "TB", "PB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const shown = value >= 100 || Number.isInteger(value) ? groupedDigits(value) : value.toPrecision(2);
  return `${shown} ${units[unit]}`;
}

/** Reads a size as `--memory-budget` takes it: `8GB`, `512MB`, `1.5G`, or bytes. */
export function parseBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([kmgt]?)i?b?$/i.exec(text.trim());
  if (!match) return undefined;
  const power = " kmgt".indexOf(match[2]!.toLowerCase() || " ");
  const bytes = Number(match[1]) * 1024 ** power;
  return Number.isFinite(bytes) && bytes > 0 ? Math.round(bytes) : undefined;
}
