import * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { ArgSpec } from "../catalog/types.js";
import { pairArgs } from "../checker/args.js";
import { argsOf } from "../checker/train.js";
import { isSpace, SPACE_KINDS, type SpaceKind } from "./space-kinds.js";
import type { Span } from "../syntax/span.js";

/**
 * The search spaces of a spec, each named after where it stands
 * (`mlp.h1.units`, `mlp.maxnorm.max_norm`, `train.optimizer.lr`): the names
 * `regc tune` reports points by. A name that would repeat gets `#2`, `#3`, …
 * in the order the spaces appear.
 */
export interface SearchSpace {
  name: string;
  kind: SpaceKind;
  /** The space as written; a trial's spec writes a value in its place. */
  call: A.CallExpr;
  /** Where the space is written. */
  span: Span;
  /** `choice`: each option's text as written. */
  options: string[];
  /** Range spaces: the bounds as numbers, and the unit both are written in. */
  low: number;
  high: number;
  unit: string | undefined;
}

/** A space found where no trial may vary it: the `data` or `tune` block. */
export interface MisplacedSpace {
  call: A.CallExpr;
  block: "data" | "tune";
}

export interface FoundSpaces {
  spaces: SearchSpace[];
  misplaced: MisplacedSpace[];
}

export function findSpaces(ast: A.SpecFile, text: string): FoundSpaces {
  if (!SPACE_WORD.test(text)) return { spaces: [], misplaced: [] };
  const found: Array<{ path: string[]; call: A.CallExpr }> = [];
  const misplaced: MisplacedSpace[] = [];

  const visitArgs = (args: readonly A.Arg[], specs: readonly ArgSpec[], path: string[]) => {
    pairArgs(args, specs).forEach((pairing, i) => {
      const value = pairing.arg.value;
      if (!value) return;
      const argName = pairing.spec?.name ?? pairing.arg.name?.name ?? `arg${i + 1}`;
      // A setting's one value is named by the setting.
      const at = argName === "value" ? path : [...path, argName];
      if (isSpace(value)) found.push({ path: at, call: value as A.CallExpr });
      else if (value.kind === "Call") visitArgs(value.args, nestedSpecs(pairing.spec, value.callee.name), at);
    });
  };
  const visitMisplaced = (expr: A.Expr | undefined, block: MisplacedSpace["block"]) => {
    if (!expr) return;
    if (isSpace(expr)) misplaced.push({ call: expr as A.CallExpr, block });
    else if (expr.kind === "Call") expr.args.forEach((a) => visitMisplaced(a.value, block));
    else if (expr.kind === "List") expr.items.forEach((item) => visitMisplaced(item, block));
  };

  for (const block of ast.blocks) {
    switch (block.kind) {
      case "DataBlock":
      case "TuneBlock": {
        const where = block.kind === "DataBlock" ? "data" : "tune";
        for (const statement of block.body) {
          const args = statement.kind === "Setting" ? statement.args : statement.call.args;
          args.forEach((a) => visitMisplaced(a.value, where));
        }
        break;
      }
      case "ModelBlock":
      case "RegularizeBlock": {
        const owner = (block.kind === "ModelBlock" ? block.name : block.target)?.name ?? "";
        for (const statement of block.body) {
          if (statement.kind !== "CallStatement" || !holdsSpace(statement.call.args)) continue;
          const callee = statement.call.callee.name;
          const spec = block.kind === "ModelBlock" ? catalog.layer(callee) : catalog.technique(callee);
          visitArgs(statement.call.args, spec?.args ?? [], [owner, statement.name?.name ?? callee]);
        }
        break;
      }
      case "TaskDecl":
        if (block.call) visitArgs(block.call.args, catalog.fn("task", block.call.callee.name)?.args ?? [], [block.name?.name ?? "task"]);
        break;
      case "TrainBlock":
        for (const statement of block.body) {
          if (statement.kind !== "Setting") continue;
          const spec = catalog.setting("train", statement.keyword.name);
          visitArgs(statement.args, spec ? argsOf(spec) : [], ["train", statement.keyword.name]);
        }
        break;
    }
  }
  return { spaces: uniqueNames(found).map(({ name, call }) => describe(name, call, text)), misplaced };
}

/** A space is a call of one of these words: a text that writes none holds no space, and its tree need not be walked. */
const SPACE_WORD = new RegExp(`\\b(?:${SPACE_KINDS.join("|")})\\b`);

/** Whether an argument, or one of a call written as an argument, is a space: most statements hold none, and need no pairing. */
function holdsSpace(args: readonly A.Arg[]): boolean {
  return args.some(({ value }) => isSpace(value) || (value?.kind === "Call" && holdsSpace(value.args)));
}

/** The argument specs of a call written as a value: a function of the family the argument calls. */
function nestedSpecs(spec: ArgSpec | undefined, callee: string): readonly ArgSpec[] {
  const type = spec?.type;
  const family = type?.kind === "call" ? type.family : type?.kind === "ref" ? type.wrappedBy : undefined;
  return (family && catalog.fn(family, callee)?.args) || [];
}

function uniqueNames(found: ReadonlyArray<{ path: string[]; call: A.CallExpr }>): Array<{ name: string; call: A.CallExpr }> {
  const seen = new Map<string, number>();
  return found.map(({ path, call }) => {
    const base = path.join(".");
    const count = (seen.get(base) ?? 0) + 1;
    seen.set(base, count);
    return { name: count === 1 ? base : `${base}#${count}`, call };
  });
}

function describe(name: string, call: A.CallExpr, text: string): SearchSpace {
  const kind = call.callee.name as SpaceKind;
  const values = call.args.flatMap((a) => (a.value ? [a.value] : []));
  const numbers = values.filter((v): v is A.NumberLit => v.kind === "Number");
  const named = (bound: string, fallback: A.NumberLit | undefined) => {
    const arg = call.args.find((a) => a.name?.name === bound);
    return arg?.value?.kind === "Number" ? arg.value : fallback;
  };
  const low = kind === "choice" ? undefined : named("low", call.args[0]?.name ? undefined : numbers[0]);
  const high = kind === "choice" ? undefined : named("high", call.args[1]?.name ? undefined : numbers[1]);
  return {
    name,
    kind,
    call,
    span: call.span,
    options: kind === "choice" ? values.map((v) => text.slice(v.span.start, v.span.end)) : [],
    low: low?.value ?? 0,
    high: high?.value ?? 0,
    unit: low?.unit,
  };
}
