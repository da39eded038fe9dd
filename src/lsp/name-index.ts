import * as A from "../compiler/syntax/ast.js";
import * as catalog from "../compiler/catalog/index.js";
import type { ArgSpec, ClauseTarget } from "../compiler/catalog/types.js";
import type { ModelInfo, Program } from "../compiler/checker/program.js";
import { namedTask } from "../compiler/checker/metrics.js";
import { parseMetricName, taskOfMetricKey } from "../shared/metric-names.js";
import { pairArgs } from "../compiler/checker/args.js";
import type { Span } from "../compiler/index.js";
import { containsOffset } from "./positions.js";

export type NameKind = "data" | "model" | "layer" | "task" | "target";

/** One place a declared name appears: its declaration or a reference to it. */
export interface Occurrence {
  kind: NameKind;
  name: string;
  /** The model a layer belongs to, or the data a target belongs to. */
  owner?: string;
  span: Span;
  isDeclaration: boolean;
}

/** A stable key: the same symbol has the same key at every occurrence. */
export function symbolKey(o: Occurrence): string {
  return `${o.kind}:${o.owner ?? ""}:${o.name}`;
}

/**
 * Every declaration of and reference to a data block, model, layer, task or
 * target. A word counts as a reference only where the catalog says a
 * reference goes (an argument of type `ref`, a clause that points at layers,
 * parameters or splits, a metric naming a task), so a layer that happens to
 * be called `relu` is not confused with `activation: relu`.
 */
export function indexNames(ast: A.SpecFile, program: Program): Occurrence[] {
  const found: Occurrence[] = [];
  const add = (kind: NameKind, name: string, span: Span, isDeclaration: boolean, owner?: string) => {
    if (name) found.push({ kind, name, span, isDeclaration, ...(owner ? { owner } : {}) });
  };
  const addName = (kind: NameKind, id: A.Identifier, isDeclaration: boolean, owner?: string) => add(kind, id.name, id.span, isDeclaration, owner);

  /** `MODEL.LAYER` (a task's output) or, inside a model's scope, `LAYER`. */
  const layerRef = (ref: A.Ref, scope: ModelInfo | undefined) => {
    const [first, second] = ref.segments;
    if (!first || A.isGlob(ref)) return;
    const model = program.models.get(first.name);
    if (model && second) {
      addName("model", first, false);
      if (model.byName.has(second.name)) addName("layer", second, false, model.name);
    } else if (scope?.byName.has(first.name)) {
      addName("layer", first, false, scope.name);
    }
  };

  /** `LAYER.PARAM`: the layer part may be a name of the scope's model. */
  const paramRef = (ref: A.Ref, scope: ModelInfo | undefined) => {
    const [layer] = ref.segments;
    if (layer && !layer.name.includes("*") && scope?.byName.has(layer.name)) addName("layer", layer, false, scope.name);
  };

  /** `DATA.TARGET`, `DATA.input` or `DATA.SPLIT`: the data part, and the target when it is one. */
  const dataRef = (ref: A.Ref) => {
    const [first, second] = ref.segments;
    const data = first && program.data.get(first.name);
    if (!first || !data) return;
    addName("data", first, false);
    if (second && data.targets.has(second.name)) addName("target", second, false, data.name);
  };

  const modelRef = (ref: A.Ref) => {
    const [first] = ref.segments;
    if (first && ref.segments.length === 1 && program.models.has(first.name)) addName("model", first, false);
  };

  /** A metric such as `val_economy_loss` names a task of the scope's model in its middle. */
  const metricRef = (ref: A.Ref, scope: ModelInfo | undefined) => {
    const [word] = ref.segments;
    const parsed = word && ref.segments.length === 1 && scope ? parseMetricName(word.name) : undefined;
    if (!word || !parsed) return;
    const tasks = [...program.tasks.values()].filter((task) => task.model === scope).map(namedTask);
    const named = taskOfMetricKey(parsed.key, tasks);
    if (!named) return;
    const start = word.span.start + parsed.split.length + 1;
    add("task", named.task, { start, end: start + named.task.length }, false);
  };

  const visitValue = (spec: ArgSpec, expr: A.Expr, scope: ModelInfo | undefined): void => {
    const type = spec.type;
    if (expr.kind === "List") {
      expr.items.forEach((item) => visitValue(spec, item, scope));
    } else if (expr.kind === "Call") {
      const family = type.kind === "call" ? type.family : type.kind === "ref" ? type.wrappedBy : undefined;
      const fn = family && catalog.fn(family, expr.callee.name);
      if (fn) visitArgs(expr.args, fn.args, scope);
    } else if (expr.kind === "Ref") {
      if (type.kind === "metric") metricRef(expr, scope);
      if (type.kind !== "ref") return;
      if (type.to === "layer") layerRef(expr, scope);
      else if (type.to === "param") paramRef(expr, scope);
      else if (type.to === "target") dataRef(expr);
      else modelRef(expr);
    }
  };

  const visitArgs = (args: readonly A.Arg[], specs: readonly ArgSpec[], scope: ModelInfo | undefined): void => {
    for (const { arg, spec } of pairArgs(args, specs)) {
      if (!spec) continue;
      if (arg.value) visitValue(spec, arg.value, scope);
    }
  };

  const visitClause = (clause: A.Clause, kind: ClauseTarget | undefined, scope: ModelInfo | undefined): void => {
    for (const target of clause.targets) {
      if (target.kind === "Call" && kind === "transforms") {
        const fn = catalog.fn("transform", target.callee.name);
        if (fn) visitArgs(target.args, fn.args, scope);
      }
      if (target.kind !== "Ref") continue;
      if (kind === "params") paramRef(target, scope);
      else if (kind === "layers" || kind === "input_or_layers" || kind === "layer") layerRef(target, scope);
      else if (kind === "split") dataRef(target);
    }
  };

  const visitCalls = (body: readonly A.Statement[], scope: ModelInfo | undefined, vocabulary: (name: string) => catalog.LayerSpec | catalog.TechniqueSpec | undefined) => {
    for (const statement of body) {
      if (statement.kind !== "CallStatement") continue;
      const spec = vocabulary(statement.call.callee.name);
      if (!spec) continue;
      visitArgs(statement.call.args, spec.args, scope);
      statement.clauses.forEach((clause) => visitClause(clause, spec.clauses[clause.keyword], scope));
    }
  };

  for (const block of ast.blocks) {
    switch (block.kind) {
      case "DataBlock": {
        const name = block.name?.name;
        if (block.name) addName("data", block.name, true);
        for (const statement of block.body) {
          if (statement.kind !== "Setting" || !name) continue;
          for (const arg of statement.args) if (arg.form === "binding" && arg.name) addName("target", arg.name, true, name);
        }
        break;
      }
      case "ModelBlock": {
        const name = block.name?.name;
        const model = name ? program.models.get(name) : undefined;
        const scope = model?.block === block ? model : undefined;
        if (block.name) addName("model", block.name, true);
        if (block.input?.kind === "Ref") dataRef(block.input);
        for (const statement of block.body) {
          if (statement.kind === "CallStatement" && statement.name && name) addName("layer", statement.name, true, name);
        }
        visitCalls(block.body, scope, catalog.layer);
        break;
      }
      case "TaskDecl": {
        if (block.name) addName("task", block.name, true);
        const fn = block.call && catalog.fn("task", block.call.callee.name);
        if (fn && block.call) visitArgs(block.call.args, fn.args, undefined);
        break;
      }
      case "TrainBlock":
        break;
      case "RegularizeBlock": {
        const model = block.target ? program.models.get(block.target.name) : undefined;
        if (block.target && model) addName("model", block.target, false);
        visitCalls(block.body, model, catalog.technique);
        break;
      }
    }
  }
  return found.sort((a, b) => a.span.start - b.span.start);
}

/** The occurrence under an offset (inclusive of its end, where a cursor sits after typing). */
export function occurrenceAt(occurrences: readonly Occurrence[], offset: number): Occurrence | undefined {
  return occurrences.find((o) => containsOffset(o.span, offset));
}

/** Every occurrence of the same symbol as `target`, in source order. */
export function occurrencesOf(occurrences: readonly Occurrence[], target: Occurrence): Occurrence[] {
  const key = symbolKey(target);
  return occurrences.filter((o) => symbolKey(o) === key);
}

const indexCache = new WeakMap<object, Occurrence[]>();

/** The name index of one checked version, computed on first use. */
export function namesOf(result: { ast: A.SpecFile; program: Program }): Occurrence[] {
  let index = indexCache.get(result);
  if (!index) {
    index = indexNames(result.ast, result.program);
    indexCache.set(result, index);
  }
  return index;
}
