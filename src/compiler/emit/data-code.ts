import type { BoundCall } from "../binder/bound-call.js";
import type { DataInfo, SplitInfo } from "../checker/program.js";
import { settingValue, type EmitContext } from "./context.js";
import { identifier, literal, objectLiteral } from "./literal.js";

/** The generated name of a data block's description: `digitsData`. */
export function dataConstName(data: DataInfo): string {
  return identifier(`${data.name}Data`);
}

/** `const digitsData: reg.DataSpec = { … }`: source, input, targets, preprocessing and splits as written. */
export function dataDeclaration(ctx: EmitContext, data: DataInfo): string {
  const entries: Array<[string, string]> = [["name", literal(data.name)], ["source", sourceCode(data.source)]];
  if (data.kind === "image" && data.inputShape) entries.push(["imageShape", literal(data.inputShape)]);
  if (data.kind === "table") entries.push(["features", literal(data.features)]);
  entries.push(["targets", `[${[...data.targets.values()].map(targetCode).join(", ")}]`]);
  for (const word of ["normalize", "missing"]) {
    const value = settingValue(data.settings, word);
    if (value !== undefined) entries.push([word, literal(value)]);
  }
  entries.push(["split", splitCode(data.splits.values())]);
  entries.push(["seed", String(settingValue(data.settings, "seed") ?? 0)]);
  return `// data ${data.name} — ${ctx.where(data.span)}\nexport const ${dataConstName(data)}: reg.DataSpec = ${objectLiteral(entries)};`;
}

function sourceCode(source: BoundCall | undefined): string {
  if (!source) return "undefined";
  const path = source.values["path"];
  if (typeof path !== "string") return objectLiteral([["kind", literal(source.name)]]);
  return objectLiteral([["kind", literal(source.name)], ["path", literal(path)], ["specFolder", "SPEC_FOLDER"]]);
}

function targetCode(target: { name: string; kind: string; classes?: number; column?: string; labels?: readonly string[] }): string {
  const entries: Array<[string, string]> = [["name", literal(target.name)], ["kind", literal(target.kind)]];
  if (target.classes !== undefined) entries.push(["classes", String(target.classes)]);
  if (target.column !== undefined) entries.push(["column", literal(target.column)]);
  if (target.labels !== undefined) entries.push(["labels", literal(target.labels)]);
  return objectLiteral(entries);
}

/** `{ train: 1000, val: 0.2 }`: each split's size as written, a percentage as its fraction. */
function splitCode(splits: Iterable<SplitInfo>): string {
  return objectLiteral([...splits].map((split) => [split.name, String(split.size)] as const));
}

/** Whether any data block reads a file, so the code needs to know the spec's folder. */
export function readsFiles(data: Iterable<DataInfo>): boolean {
  return [...data].some((d) => d.kind === "table");
}
