import type { SearchSpace } from "../tuning/spaces.js";
import type * as A from "../syntax/ast.js";
import type { LayerSpec, ResolvedArgs, Shape, TechniqueSpec } from "../catalog/types.js";
import type { SourceSchema } from "../sources/schema.js";
import type { Span } from "../syntax/span.js";
import type { BoundCall } from "../binder/bound-call.js";
import type { Declaration, SymbolTable } from "../binder/symbols.js";

/**
 * The one resolved model of a spec, as checking leaves it: every
 * declaration and every reference bound to it (`symbols`), every call's
 * arguments bound once with the catalog's defaults, every setting, shapes
 * and parameter counts. The checker's rules read it; the emitter reads
 * only it (and the spans in it, for comments); the language server answers
 * from it.
 *
 * The `block`, `statement` and `decl` fields point back into the syntax
 * tree for the phases that bind it and for the language server's outline;
 * the emitter does not read them, nor do the rules that run after binding
 * (conflicts, capacity, memory, unused layers): what their messages point
 * at is a span here.
 */

export interface TargetInfo {
  name: string;
  symbol?: Declaration;
  /** `unknown`: its type is written wrong (already reported). */
  kind: "class" | "number" | "self" | "unknown";
  classes?: number;
  /** Source column the target is read from (absent: the source's own label). */
  column?: string;
  /** A class column's labels as the check read them, in class order, where it lists them all (up to 50): the labels the program holds its data to. */
  labels?: readonly string[];
  span: Span;
}

export interface SplitInfo {
  name: string;
  symbol: Declaration;
  /** As written: a row count, or a fraction of the rows (`20%` is 0.2). */
  size: number;
  fraction: boolean;
  /** Rows in the split, when the source's row count is known. */
  rows?: number;
  span: Span;
}

export interface DataInfo {
  name: string;
  symbol: Declaration;
  block: A.DataBlock;
  /** The whole block, for comments that point at it. */
  span: Span;
  /** The source call (`csv("cars.csv")`), its arguments bound. */
  source?: BoundCall;
  /** Settings with a single word or value (`normalize`, `missing`, `seed`), by name, as `value`. */
  settings: Map<string, BoundCall>;
  kind: "image" | "table" | "unknown";
  schema?: SourceSchema;
  /** One example's shape, without the batch axis. */
  inputShape?: Shape;
  /** Columns that make up the input (table sources). */
  features: string[];
  targets: Map<string, TargetInfo>;
  splits: Map<string, SplitInfo>;
  /** Settings written misspelt (`traget` for `target`, REG1003): what they would declare may be missing here, and is not reported so. */
  misspelt?: ReadonlySet<string>;
}

export interface LayerInfo {
  name?: string;
  symbol?: Declaration;
  /** The layer's statement. */
  span: Span;
  /** Where the layer's name is written, or its kind where it has none. */
  nameSpan: Span;
  kind: string;
  spec?: LayerSpec;
  statement: A.CallStatement;
  args: ResolvedArgs;
  /** Where the input comes from: the previous layer, a `from` layer, or the model input. */
  source: LayerInfo | "input";
  /** Its `from` names no layer (already reported): its input is unknown. */
  sourceUnknown?: boolean;
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
  symbol: Declaration;
  block: A.ModelBlock;
  span: Span;
  /** Where the name is written (the keyword, where a syntax error lost the name). */
  nameSpan: Span;
  /** Where `model` is written. */
  keyword: Span;
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
  symbol: Declaration;
  decl: A.TaskDecl;
  span: Span;
  kind: string;
  model?: ModelInfo;
  output?: LayerInfo;
  data?: DataInfo;
  target?: TargetInfo | "input";
  args: ResolvedArgs;
}

export interface ClauseUse {
  statement: A.CallStatement;
  span: Span;
  technique: TechniqueSpec;
  /** Where the technique's name is written. */
  techniqueSpan: Span;
  /** The technique's arguments bound: `args` is `call.values`. */
  call: BoundCall;
  args: ResolvedArgs;
  /** Resolved `on` targets: `LAYER.PARAM` names, layer names or `input`. */
  on: string[];
  /** `after LAYER`: the layer a structural clause follows. */
  after?: string;
  /** `using DATA.SPLIT`: the split whose batches it draws. */
  using?: SplitInfo;
  /** `along …`: the transforms, each bound, and the model one reads (`manifold(cae)`). */
  along: AlongTransform[];
}

export interface AlongTransform {
  call: BoundCall;
  /** Written as a call (`manifold(cae, k: 10)`) rather than a bare word (`rotate`). */
  written: "word" | "call";
  /** The model a transform reads, when it reads one. */
  model?: ModelInfo;
}

export interface RegularizeInfo {
  block: A.RegularizeBlock;
  span: Span;
  model?: ModelInfo;
  uses: ClauseUse[];
  /** Some clause names an unknown technique: what it would do is unknown. */
  unresolved?: boolean;
}

export interface TrainInfo {
  block: A.TrainBlock;
  span: Span;
  /** Where `train` is written. */
  keyword: Span;
  /** Where each setting is written, by setting name. */
  settingSpans: Map<string, Span>;
  /** Each setting's arguments, by setting name; a single value is `value`, a call (`optimizer adam(…)`) is bound in `calls.value`. */
  settings: Map<string, BoundCall>;
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
  /** Every name declared and every reference resolved, with a lookup by offset. */
  symbols: SymbolTable;
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
