import type { SpecFile } from "../syntax/ast.js";
import { parse } from "../syntax/parse.js";
import { sortDiagnostics, type Diagnostic } from "../diagnostics/diagnostic.js";

export interface CheckOptions {
  /** The spec's path on disk; data paths resolve relative to its folder. */
  path?: string;
}

export interface CheckResult {
  ast: SpecFile;
  /** Syntax and semantic diagnostics, sorted by position. */
  diagnostics: Diagnostic[];
}

/** Parse and type-check one spec. Never throws on user text. */
export function check(text: string, options: CheckOptions = {}): CheckResult {
  void options;
  const { ast, diagnostics } = parse(text);
  return { ast, diagnostics: sortDiagnostics(diagnostics) };
}
