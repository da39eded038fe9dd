import * as catalog from "../compiler/catalog/index.js";
import type { ArgSpec, ArgType, ClauseTarget, FunctionSpec, LayerSpec, SettingSpec, TechniqueSpec } from "../compiler/catalog/index.js";
import type { ClauseKeyword } from "../compiler/syntax/ast.js";
import type { ArgSlot, CallFrame, CursorContext } from "./cursor-context.js";

/** A catalog entry that is written as a call: a layer, a technique or a function. */
export type Callable =
  | { kind: "layer"; name: string; args: readonly ArgSpec[]; spec: LayerSpec }
  | { kind: "technique"; name: string; args: readonly ArgSpec[]; spec: TechniqueSpec }
  | { kind: "function"; name: string; args: readonly ArgSpec[]; spec: FunctionSpec };

const layers = (): Callable[] => catalog.LAYERS.map((spec) => ({ kind: "layer", name: spec.name, args: spec.args, spec }));
const techniques = (): Callable[] => catalog.TECHNIQUES.map((spec) => ({ kind: "technique", name: spec.name, args: spec.args, spec }));
const functions = (family: catalog.FunctionFamily): Callable[] =>
  catalog.functionsOf(family).map((spec) => ({ kind: "function", name: spec.name, args: spec.args, spec }));

/** The clauses a callable accepts and what each points at; functions take none. */
export function clausesOf(callable: Callable | undefined): Partial<Record<ClauseKeyword, ClauseTarget>> {
  return callable && callable.kind !== "function" ? callable.spec.clauses : {};
}

/** The block's setting of this name (`data`, `train` and `tune` blocks only). */
export function settingIn(context: CursorContext, name: string): SettingSpec | undefined {
  const block = context.block?.kind;
  if (block === "DataBlock") return catalog.setting("data", name);
  if (block === "TrainBlock") return catalog.setting("train", name);
  if (block === "TuneBlock") return catalog.setting("tune", name);
  return undefined;
}

export function isSearchSpace(callable: Callable | undefined): boolean {
  return callable?.kind === "function" && callable.spec.family === "search_space";
}

/** Search spaces may stand for a value of this type here: in a block a trial varies, for a value that names nothing in the spec. */
function spacesFor(context: CursorContext, type: ArgType | undefined): Callable[] {
  const block = context.block?.kind;
  const varied = block === "ModelBlock" || block === "RegularizeBlock" || block === "TaskDecl" || block === "TrainBlock";
  const searchable = type !== undefined && type.kind !== "ref" && type.kind !== "metric" && type.kind !== "column";
  return varied && searchable ? functions("search_space") : [];
}

/**
 * The argument a call's slot gives a value for. Inside a search space it is
 * the argument the space stands for: `choice(relu, tanh)` lists activations.
 */
export function slotTarget(context: CursorContext, index: number): { owner: Callable; arg: ArgSpec | undefined } | undefined {
  const callable = callableOf(context, index);
  const frame = context.calls[index];
  if (!callable || !frame) return undefined;
  if (isSearchSpace(callable) && frame.role.kind === "argument") {
    const parent = callableOf(context, frame.role.parent);
    if (parent) return { owner: parent, arg: argOfSlot(parent.args, frame.role.slot) };
  }
  return { owner: callable, arg: argOfSlot(callable.args, frame.slot) };
}

/** The argument a slot binds to: by name, else the next positional one (a variadic one keeps collecting). */
export function argOfSlot(args: readonly ArgSpec[], slot: ArgSlot): ArgSpec | undefined {
  if (slot.form === "named") return args.find((a) => a.name === slot.name);
  const positional = args.filter((a) => a.positional);
  return positional[slot.positionalBefore] ?? positional.find((a) => a.variadic);
}

/** Callables a value of this type may call (`optimizer: adam(…)`, `transpose(enc.kernel)`). */
function callablesOfType(type: ArgType | undefined): Callable[] {
  if (type?.kind === "call") return functions(type.family);
  if (type?.kind === "ref" && type.wrappedBy) return functions(type.wrappedBy);
  return [];
}

/** The callables a setting's value slot may call: `source mnist`, `target label = class(…)`. */
function settingCallables(context: CursorContext, settingName: string, slot: ArgSlot): Callable[] {
  const setting = settingIn(context, settingName);
  const value = setting?.value;
  const spaces = setting && slot.index === 0 && context.block?.kind === "TrainBlock" ? functions("search_space") : [];
  if (value?.kind === "call" && slot.index === 0) return [...functions(value.family), ...spaces];
  if (spaces.length > 0) return spaces;
  if (value?.kind === "binding" && slot.form === "binding") return functions(value.family);
  return [];
}

/** The callables whose calls fit where the word at the cursor is being typed. */
export function calleesAtCursor(context: CursorContext): Callable[] {
  const { site, block } = context;
  if (site.kind === "statementStart" || site.kind === "callee") {
    if (block?.kind === "ModelBlock") return layers();
    if (block?.kind === "RegularizeBlock") return techniques();
    if (block?.kind === "TaskDecl") return functions("task");
    return [];
  }
  if (site.kind === "settingArg" && site.slot.valueTokens === 0) return settingCallables(context, site.setting, site.slot);
  if (site.kind === "clause" && site.slot.valueTokens === 0) {
    return clausesOf(statementCallable(context))[site.keyword] === "transforms" ? functions("transform") : [];
  }
  if (site.kind === "callArg" && site.slot.valueTokens === 0) {
    const target = slotTarget(context, context.calls.length - 1);
    return target ? [...callablesOfType(target.arg?.type), ...spacesFor(context, target.arg?.type)] : [];
  }
  return [];
}

/** The callable of the statement's own call (the layer or technique of this line). */
export function statementCallable(context: CursorContext): Callable | undefined {
  const head = context.statement.head;
  if (!head) return undefined;
  if (context.block?.kind === "ModelBlock") return layers().find((c) => c.name === head);
  if (context.block?.kind === "RegularizeBlock") return techniques().find((c) => c.name === head);
  if (context.block?.kind === "TaskDecl") return functions("task").find((c) => c.name === head);
  return undefined;
}

/** What the open call at `index` in `context.calls` is, from where it is written. */
export function callableOf(context: CursorContext, index: number): Callable | undefined {
  const frame: CallFrame | undefined = context.calls[index];
  if (!frame) return undefined;
  const named = (candidates: Callable[]) => candidates.find((c) => c.name === frame.callee);
  const role = frame.role;
  switch (role.kind) {
    case "modelInput":
      return undefined;
    case "statement":
      return statementCallable(context);
    case "setting":
      return named(settingCallables(context, role.setting, role.slot));
    case "clause":
      return clausesOf(statementCallable(context))[role.keyword] === "transforms" ? named(functions("transform")) : undefined;
    case "argument": {
      const target = slotTarget(context, role.parent);
      return target ? named([...callablesOfType(target.arg?.type), ...spacesFor(context, target.arg?.type)]) : undefined;
    }
  }
}
