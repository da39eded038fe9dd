import type { ArgSpec, ResolvedArgs } from "../catalog/types.js";
import { camelCase, literal, objectLiteral } from "./literal.js";

/**
 * A catalog call as the runtime's factory call. Every argument is written
 * out, defaults included, so the generated code says exactly what runs and
 * the catalog stays the only place defaults are decided: required
 * positional arguments first, the rest in an options object. `written`
 * gives the code of arguments that are not plain values (`tie`'s
 * `reg.transpose("enc.kernel")`), by argument name.
 */
export function factoryCall(
  exportName: string,
  specs: readonly ArgSpec[],
  values: ResolvedArgs,
  extra: ReadonlyArray<readonly [string, string]> = [],
  written: Readonly<Record<string, string>> = {},
): string {
  const positional: string[] = [];
  const options: Array<readonly [string, string]> = [...extra];
  for (const spec of specs) {
    const value = values[spec.name];
    const code = written[spec.name] ?? (value === undefined ? undefined : literal(value));
    if (code === undefined) continue;
    if (spec.required && spec.positional) positional.push(code);
    else options.push([camelCase(spec.name), code]);
  }
  if (options.length > 0) positional.push(objectLiteral(options));
  return `reg.${exportName}(${positional.join(", ")})`;
}
