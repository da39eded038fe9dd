import * as A from "../syntax/ast.js";
import * as catalog from "../catalog/index.js";
import type { DataInfo } from "../checker/program.js";
import { bindCall } from "./arguments.js";
import { settingNumber, settingOf, settingWord, type EmitContext } from "./context.js";
import { identifier, literal, objectLiteral } from "./literal.js";

/** The generated name of a data block's description: `digitsData`. */
export function dataConstName(data: DataInfo): string {
  return identifier(`${data.name}Data`);
}

/** `const digitsData: reg.DataSpec = { … }`: source, input, targets, preprocessing and splits as written. */
export function dataDeclaration(ctx: EmitContext, data: DataInfo): string {
  const body = data.block.body;
  const entries: Array<[string, string]> = [["name", literal(data.name)], ["source", sourceCode(body)]];
  if (data.kind === "image" && data.inputShape) entries.push(["imageShape", literal(data.inputShape)]);
  if (data.kind === "table") entries.push(["features", literal(data.features)]);
  entries.push(["targets", `[${[...data.targets.values()].map(targetCode).join(", ")}]`]);
  for (const word of ["normalize", "missing"]) {
    const value = settingWord(body, word);
    if (value) entries.push([word, literal(value)]);
  }
  entries.push(["split", splitCode(settingOf(body, "split"))]);
  entries.push(["seed", String(settingNumber(body, "seed") ?? 0)]);
  return `// data ${data.name} — ${ctx.where(data.block.span)}\nexport const ${dataConstName(data)}: reg.DataSpec = ${objectLiteral(entries)};`;
}

function sourceCode(body: readonly A.Statement[]): string {
  const expr = settingOf(body, "source")?.args[0]?.value;
  const head = expr && A.calleeOf(expr);
  const fn = head && catalog.fn("source", head.name);
  if (!fn || !expr) return "undefined";
  const values = bindCall(fn.name, expr.kind === "Call" ? expr.args : [], fn.args);
  const path = values["path"];
  if (typeof path !== "string") return objectLiteral([["kind", literal(fn.name)]]);
  return objectLiteral([["kind", literal(fn.name)], ["path", literal(path)], ["specFolder", "SPEC_FOLDER"]]);
}

function targetCode(target: { name: string; kind: string; classes?: number; column?: string }): string {
  const entries: Array<[string, string]> = [["name", literal(target.name)], ["kind", literal(target.kind)]];
  if (target.classes !== undefined) entries.push(["classes", String(target.classes)]);
  if (target.column !== undefined) entries.push(["column", literal(target.column)]);
  return objectLiteral(entries);
}

/** `{ train: 1000, val: 0.2 }`; a percentage is written as its fraction. */
function splitCode(setting: A.Setting | undefined): string {
  const entries: Array<[string, string]> = [];
  for (const arg of setting?.args ?? []) {
    const value = arg.value;
    if (!arg.name || value?.kind !== "Number") continue;
    entries.push([arg.name.name, String(value.unit === "%" ? value.value / 100 : value.value)]);
  }
  return objectLiteral(entries);
}

/** Whether any data block reads a file, so the code needs to know the spec's folder. */
export function readsFiles(data: Iterable<DataInfo>): boolean {
  return [...data].some((d) => d.kind === "table");
}
