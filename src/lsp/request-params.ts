/**
 * The params each request the server answers must hold, checked before its
 * handler runs, so a client that sends too little is told what is missing
 * (InvalidParams) rather than given an internal error from inside the
 * handler. Only what the handlers read is required.
 */

type Value = "a string" | "true or false" | "a whole number ≥ 0" | "an object";
type Shape = Value | ListShape | FieldsShape;
interface ListShape {
  listOf: Shape;
}
interface FieldsShape {
  readonly [field: string]: Shape;
}

const POSITION: Shape = { line: "a whole number ≥ 0", character: "a whole number ≥ 0" };
const RANGE: Shape = { start: POSITION, end: POSITION };
const DOCUMENT = { textDocument: { uri: "a string" } } as const;
const AT_POSITION = { ...DOCUMENT, position: POSITION } as const;

const PARAMS: Readonly<Record<string, Shape>> = {
  initialize: { capabilities: "an object" },
  "textDocument/hover": AT_POSITION,
  "textDocument/completion": AT_POSITION,
  "textDocument/signatureHelp": AT_POSITION,
  "textDocument/definition": AT_POSITION,
  "textDocument/references": { ...AT_POSITION, context: { includeDeclaration: "true or false" } },
  "textDocument/prepareRename": AT_POSITION,
  "textDocument/rename": { ...AT_POSITION, newName: "a string" },
  "textDocument/documentSymbol": DOCUMENT,
  "textDocument/foldingRange": DOCUMENT,
  "textDocument/formatting": DOCUMENT,
  "textDocument/diagnostic": DOCUMENT,
  "textDocument/semanticTokens/full": DOCUMENT,
  "textDocument/semanticTokens/range": { ...DOCUMENT, range: RANGE },
  "textDocument/inlayHint": { ...DOCUMENT, range: RANGE },
  "textDocument/codeAction": { ...DOCUMENT, range: RANGE, context: { diagnostics: { listOf: { range: RANGE } } } },
};

/** What is wrong with a request's params, as a sentence; undefined when they hold what its handler reads, or the server does not answer the method. */
export function paramsProblem(method: string, params: unknown): string | undefined {
  const shape = PARAMS[method];
  return shape && problemAt("params", shape, params);
}

function problemAt(path: string, shape: Shape, value: unknown): string | undefined {
  if (value === undefined || value === null) return `\`${path}\` is missing`;
  if (typeof shape === "string") return fits(shape, value) ? undefined : `\`${path}\` must be ${shape}, not ${shown(value)}`;
  if (isList(shape)) {
    if (!Array.isArray(value)) return `\`${path}\` must be a list`;
    return firstProblem(value.map((item, i) => () => problemAt(`${path}[${i}]`, shape.listOf, item)));
  }
  if (typeof value !== "object" || Array.isArray(value)) return `\`${path}\` must be an object, not ${shown(value)}`;
  const fields = value as Record<string, unknown>;
  return firstProblem(Object.entries(shape).map(([field, inner]) => () => problemAt(`${path}.${field}`, inner, fields[field])));
}

function firstProblem(checks: ReadonlyArray<() => string | undefined>): string | undefined {
  for (const check of checks) {
    const problem = check();
    if (problem) return problem;
  }
  return undefined;
}

/** A value as a message quotes it: a list by its kind, anything else as JSON, cut short. */
function shown(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  const json = JSON.stringify(value);
  return json.length > 40 ? `${json.slice(0, 39)}…` : json;
}

function isList(shape: ListShape | FieldsShape): shape is ListShape {
  return "listOf" in shape;
}

function fits(value: Value, given: unknown): boolean {
  switch (value) {
    case "a string":
      return typeof given === "string";
    case "true or false":
      return typeof given === "boolean";
    case "a whole number ≥ 0":
      return Number.isInteger(given) && (given as number) >= 0;
    case "an object":
      return typeof given === "object" && !Array.isArray(given);
  }
}
