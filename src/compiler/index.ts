/**
 * The compiler's public surface for the CLI and the language server.
 * Nothing here loads tfjs, ts-morph or prettier.
 */
export { parse, ChunkCache, type ParseResult } from "./syntax/parse.js";
export type { Diagnostic, Severity, Fix, TextEdit, RelatedInfo } from "./diagnostics/diagnostic.js";
export { hasErrors } from "./diagnostics/diagnostic.js";
export { MESSAGES, ALL_CODES, type Code } from "./diagnostics/messages.js";
export { LineIndex, type Span, type Position } from "./syntax/span.js";
export { check, type CheckResult, type CheckOptions } from "./checker/check.js";
export { BlockCheckCache } from "./checker/block-cache.js";
