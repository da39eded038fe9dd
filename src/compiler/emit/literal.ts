import type { Value } from "../catalog/types.js";

/** TypeScript source for a catalog value: numbers, strings, booleans, lists. */
export function literal(value: Value | readonly string[]): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v) => literal(v)).join(", ")}]`;
  return String(value);
}

/** `{ a: 1, b: "x" }` from entries whose code is already written; empty entries give `{}`. */
export function objectLiteral(entries: ReadonlyArray<readonly [string, string]>): string {
  const property = ([key, code]: readonly [string, string]) => (key === code ? key : `${propertyName(key)}: ${code}`);
  return entries.length === 0 ? "{}" : `{ ${entries.map(property).join(", ")} }`;
}

/** `snake_case` catalog names as the runtime's camelCase exports and options: `early_stop` → `earlyStop`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

function propertyName(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key);
}

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for function if import in " +
    "instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package " +
    "private protected public await async of").split(" "),
);

/** A spec name as a TypeScript identifier: reserved words get a trailing underscore. */
export function identifier(name: string): string {
  return RESERVED.has(name) ? `${name}_` : name;
}
