import * as catalog from "../../src/compiler/catalog/index.js";
import type { FunctionFamily } from "../../src/compiler/catalog/types.js";

/** `min_delta` → `minDelta`, as the generated code names options. */
export const camelCase = (name: string) => name.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());

/**
 * A runtime call's options as the generated code writes them: every
 * argument the catalog gives a default, overridden by `given`. Tests call
 * the runtime the way generated programs do, without restating defaults.
 */
export function withDefaults<T>(name: string, given: NoInfer<Partial<T>>, family?: FunctionFamily): T {
  const entry = family ? catalog.fn(family, name) : catalog.technique(name);
  if (!entry) throw new Error(`no catalog entry ${name}`);
  const defaults = Object.fromEntries(entry.args.flatMap((arg) => (arg.default === undefined ? [] : [[camelCase(arg.name), arg.default]])));
  return { ...defaults, ...given } as T;
}
