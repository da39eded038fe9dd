import type { Diagnostic, Fix, RelatedInfo } from "./diagnostic.js";
import { MESSAGES, type Code } from "./messages.js";
import type { Span } from "../syntax/span.js";

export type MessageParams = Record<string, string | number>;

export interface ReportExtras {
  hint?: string;
  related?: RelatedInfo[];
  fix?: Fix;
}

/** Fills a message template's `{name}` holes. */
export function formatMessage(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (hole, key: string) => (key in params ? String(params[key]) : hole));
}

export function makeDiagnostic(code: Code, span: Span, params: MessageParams = {}, extras: ReportExtras = {}): Diagnostic {
  const def = MESSAGES[code];
  const diagnostic: Diagnostic = { code, severity: def.severity, message: formatMessage(def.message, params), span };
  if (extras.hint) diagnostic.hint = extras.hint;
  if (extras.related?.length) diagnostic.related = extras.related;
  if (extras.fix) diagnostic.fix = extras.fix;
  return diagnostic;
}

/** Collects diagnostics during one pass. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];

  report(code: Code, span: Span, params: MessageParams = {}, extras: ReportExtras = {}): Diagnostic {
    const diagnostic = makeDiagnostic(code, span, params, extras);
    this.items.push(diagnostic);
    return diagnostic;
  }
}
