import type { SearchSpace } from "../tuning/spaces.js";
import type * as A from "../syntax/ast.js";
import type { LayerSpec, ResolvedArgs, Shape, TechniqueSpec } from "../catalog/types.js";
import type { SourceSchema } from "../sources/schema.js";
import type { Span } from "../syntax/span.js";

/**
 * What the checker learns about a spec: resolved names, shapes and parameter
 * counts. The language server reads it for hover and inlay hints; the emitter
 * reads it to write code.
 */

export interface TargetInfo {
  name: string;
  kind: "class" | "number" | "self";
  classes?: number;
  /** Source column the target is read from (absent: the source's own label). */
  column?: string;
  span: Span;
}

export interface SplitInfo {
  name: string;
  /** Rows in the split, when the source's row count is known. */
  rows?: number;
  span: Span;
}

export interface DataInfo {
  name: string;
  block: A.DataBlock;
  kind: "image" | "table" | "unknown";
  schema?: SourceSchema;
  /** One example's shape, without the batch axis. */
  inputShape?: Shape;
  /** Columns that make up the input (table sources). */
  features: string[];
  targets: Map<string, TargetInfo>;
  splits: Map<string, SplitInfo>;
}

export interface LayerInfo {
  name?: string;
  kind: string;
  spec?: LayerSpec;
  statement: A.CallStatement;
  args: ResolvedArgs;
  /** Where the input comes from: the previous layer, a `from` layer, or the model input. */
  source: LayerInfo | "input";
  inputShape?: Shape;
  outputShape?: Shape;
  /** Parameter shapes, once the input shape is known. */
  params: Record<string, Shape>;
  /** Parameter names: known from the layer's kind and arguments even when shapes are not. */
  paramNames: string[];
  paramCount: number;
}

export interface ModelInfo {
  name: string;
  block: A.ModelBlock;
  data?: DataInfo;
  inputShape?: Shape;
  layers: LayerInfo[];
  byName: Map<string, LayerInfo>;
  /** Some layer's kind is unknown, so shapes and counts are partial. */
  unresolved?: boolean;
  /** The last layer: what `MODEL.output` names. */
  output?: LayerInfo;
  paramCount: number;
}

export interface TaskInfo {
  name: string;
  decl: A.TaskDecl;
  kind: string;
  model?: ModelInfo;
  output?: LayerInfo;
  data?: DataInfo;
  target?: TargetInfo | "input";
  args: ResolvedArgs;
}

export interface ClauseUse {
  statement: A.CallStatement;
  technique: TechniqueSpec;
  args: ResolvedArgs;
  /** Resolved `on` targets: `LAYER.PARAM` names, layer names or `input`. */
  on: string[];
}

export interface RegularizeInfo {
  block: A.RegularizeBlock;
  model?: ModelInfo;
  uses: ClauseUse[];
  /** Some clause names an unknown technique: what it would do is unknown. */
  unresolved?: boolean;
}

export interface TrainInfo {
  block: A.TrainBlock;
  args: Map<string, ResolvedArgs>;
  solver: string;
}

export interface TuneInfo {
  block: A.TuneBlock;
  trials: number | undefined;
  method: "random" | "grid" | "halving";
  direction: "maximize" | "minimize";
  /** The metric optimized, when valid. */
  objective: string | undefined;
  /** `halving`: η, the factor between rungs. */
  reduction: number;
  /** `halving`: epochs of the first rung, when written. */
  minEpochs?: number;
}

export interface Program {
  data: Map<string, DataInfo>;
  models: Map<string, ModelInfo>;
  tasks: Map<string, TaskInfo>;
  train?: TrainInfo;
  regularize: RegularizeInfo[];
  /** The values written as search spaces, in source order. */
  spaces: SearchSpace[];
  tune?: TuneInfo;
}

export function shapeText(shape: Shape | undefined): string {
  return shape ? shape.join("×") : "?";
}

export function shapeSize(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}
