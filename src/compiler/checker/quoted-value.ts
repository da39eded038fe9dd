import type { ArgSpec } from "../catalog/types.js";
import * as catalog from "../catalog/index.js";
import type { ReportExtras } from "../diagnostics/report.js";
import type * as A from "../syntax/ast.js";
import { isIdentifier } from "../syntax/written-column.js";

const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?%?$/;

/**
 * Where a string stands for a word, number or boolean that the argument
 * takes written bare (`activation: "relu"`, `epochs "5"`, as Keras and YAML
 * write them), a hint and a fix that remove the quotes; nothing otherwise.
 */
export function unquoteFix(spec: ArgSpec, expr: A.Expr): ReportExtras {
  if (expr.kind !== "String") return {};
  const text = expr.value.trim();
  if (!takesBare(spec, text)) return {};
  return {
    hint: `write it without quotes: \`${text}\``,
    fix: { title: `Remove the quotes around \`${text}\``, edits: [{ span: expr.span, newText: text }] },
  };
}

function takesBare(spec: ArgSpec, text: string): boolean {
  const type = spec.type;
  switch (type.kind) {
    case "enum":
      return type.values.includes(text);
    case "boolean":
      return text === "true" || text === "false";
    case "number":
    case "integer":
    case "range":
    case "integers":
      return NUMBER.test(text);
    case "metric":
      return isIdentifier(text);
    case "call":
      return catalog.fn(type.family, text) !== undefined;
    default:
      return false;
  }
}
