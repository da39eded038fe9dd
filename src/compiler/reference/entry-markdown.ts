import * as catalog from "../catalog/index.js";
import type { ArgSpec, BlockSpec, ClauseTarget, FunctionSpec, LayerSpec, SettingSpec, TechniqueSpec, Value } from "../catalog/index.js";
import { describeRange, describeType, quantityOf } from "../checker/args.js";
import type { ClauseKeyword } from "../syntax/ast.js";

/**
 * Markdown for catalog entries, shared by hover, completion documentation,
 * `regc explain` and docs/reference.md, so all say the same thing in the
 * same words.
 */

/** A catalog entry written as a call: a layer, a technique or a function. */
export type CallableEntry =
  | { kind: "layer"; spec: LayerSpec }
  | { kind: "technique"; spec: TechniqueSpec }
  | { kind: "function"; spec: FunctionSpec };

/** A value as it would be written in a spec: `relu`, `true`, `[0.9, 1.1]`; a one-item list as its item. */
export function valueText(value: Value): string {
  if (Array.isArray(value)) return value.length === 1 ? String(value[0]) : `[${value.join(", ")}]`;
  return String(value);
}

const QUANTITY_NAMES = { angle: "angle", pixels: "length", fraction: "fraction" } as const;

/** A short type name for details and signatures. */
function typeText(arg: ArgSpec): string {
  const type = arg.type;
  switch (type.kind) {
    case "number": {
      const quantity = quantityOf(arg);
      return quantity ? QUANTITY_NAMES[quantity] : "number";
    }
    case "enum":
      return type.values.join(" | ");
    case "range":
      return "number or [low, high]";
    case "integers":
      return "integer or list";
    case "ref":
      return type.to === "param" ? "parameter" : type.to;
    case "call":
      return type.family.replace("_", " ");
    default:
      return type.kind;
  }
}

function hasRange(arg: ArgSpec): boolean {
  return arg.min !== undefined || arg.max !== undefined;
}

/** One line: type, then required or default, then range (`integer · required · ≥ 1`). */
export function argDetail(arg: ArgSpec): string {
  const parts = [typeText(arg)];
  if (arg.required) parts.push("required");
  else if (arg.default !== undefined) parts.push(`default ${valueText(arg.default)}`);
  if (hasRange(arg)) parts.push(describeRange(arg));
  return parts.join(" · ");
}

/** The facts about an argument, as a sentence fragment: `an integer, required, ≥ 1`. */
function argFacts(arg: ArgSpec, inCall = true): string {
  const facts = [describeType(arg)];
  if (arg.required) facts.push("required");
  else if (arg.default !== undefined) facts.push(`default \`${valueText(arg.default)}\``);
  else facts.push("optional");
  if (hasRange(arg)) facts.push(describeRange(arg));
  if (arg.positional && inCall) facts.push(arg.variadic ? "takes every remaining positional value" : "may be given without its name");
  return facts.join(", ");
}

function argsList(args: readonly ArgSpec[]): string {
  if (args.length === 0) return "No arguments.";
  return ["**Arguments**", "", ...args.map((a) => `- \`${a.name}\` — ${argFacts(a)}. ${a.doc}`)].join("\n");
}

/** An argument on its own (hover on `activation:`). */
export function argMarkdown(arg: ArgSpec, owner: string): string {
  return [`**\`${arg.name}\`** — argument of \`${owner}\``, arg.doc, capitalize(argFacts(arg)) + "."].join("\n\n");
}

const CLAUSE_TARGETS: Record<ClauseTarget, string> = {
  params: "parameters (`h1.kernel`, `*.kernel`)",
  layers: "layers' outputs",
  input_or_layers: "`input` or layers' outputs",
  split: "a data split (`DATA.SPLIT`)",
  transforms: "transforms",
  layer: "one earlier layer",
};

function clausesLine(clauses: Partial<Record<ClauseKeyword, ClauseTarget>>, defaultOn?: string): string | undefined {
  const entries = Object.entries(clauses) as Array<[ClauseKeyword, ClauseTarget]>;
  if (entries.length === 0) return undefined;
  const described = entries.map(([keyword, target]) => `\`${keyword}\` ${CLAUSE_TARGETS[target]}`).join("; ");
  const fallback = defaultOn === "kernels" ? " — without `on`: every kernel" : defaultOn === "input" ? " — without `on`: the input" : "";
  return `**Clauses:** ${described}${fallback}`;
}

/** Markdown for a layer, technique or function: doc, formula, arguments, book §. */
export function callableMarkdown(callable: CallableEntry): string {
  const parts: string[] = [];
  switch (callable.kind) {
    case "technique": {
      const t = callable.spec;
      parts.push(`**\`${t.name}\`** — ${t.title} · book §${t.section}`, t.doc, "```text\n" + t.formula + "\n```", argsList(t.args));
      const clauses = clausesLine(t.clauses, t.defaultOn);
      if (clauses) parts.push(clauses);
      if (t.reference) parts.push(`*${t.reference}*`);
      break;
    }
    case "layer": {
      const l = callable.spec;
      parts.push(`**\`${l.name}\`** — layer${l.section ? ` · book §${l.section}` : ""}`, l.doc, argsList(l.args));
      break;
    }
    case "function": {
      const f = callable.spec;
      parts.push(`**\`${f.name}\`** — ${f.family.replace("_", " ")}${f.section ? ` · book §${f.section}` : ""}`, f.doc, argsList(f.args));
      if (f.metrics) parts.push(`**Metrics:** ${["loss", ...f.metrics].map((m) => `\`${m}\``).join(", ")}`);
      break;
    }
  }
  return parts.join("\n\n");
}

function settingValueText(setting: SettingSpec): string {
  const value = setting.value;
  switch (value.kind) {
    case "args":
      return value.args.map((a) => capitalize(argFacts(a, false)) + ".").join(" ");
    case "call":
      return `A ${value.family.replace("_", " ")}: ${wordList(catalog.functionsOf(value.family).map((f) => f.name))}.`;
    case "binding":
      return `${catalog.functionsOf(value.family).map((f) => `\`NAME = ${f.name}(…)\``).join(", ")}${value.words.length ? ` or ${wordList(value.words)}` : ""}.`;
    case "columns":
      return `Column names${value.words.length ? `, or ${wordList(value.words)}` : ""}.`;
    case "named_sizes":
      return `Named sizes: ${wordList(value.names)}.`;
    case "word":
      return `One of ${wordList(value.values)}.`;
  }
}

/** Markdown for a `data` or `train` setting keyword. */
export function settingMarkdown(setting: SettingSpec): string {
  const notes = [setting.required ? "required" : "optional", ...(setting.repeatable ? ["may be repeated"] : [])].join(", ");
  return [`**\`${setting.name}\`** — ${setting.block} setting (${notes})`, setting.doc, settingValueText(setting)].join("\n\n");
}

/** Markdown for a kind of top-level block. */
export function blockMarkdown(block: BlockSpec): string {
  return [`**\`${block.name}\`** — block`, "```reg\n" + block.syntax + "\n```", block.doc, "Example:", "```reg\n" + block.example + "\n```"].join("\n\n");
}

function wordList(words: readonly string[]): string {
  return words.map((w) => `\`${w}\``).join(", ");
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
