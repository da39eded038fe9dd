import { posix } from "node:path";
import type { ReportExtras } from "../diagnostics/report.js";
import { filesBeside, type DataAccess } from "../sources/index.js";
import type { Span } from "../syntax/span.js";
import { nearest } from "./suggest.js";

/**
 * The hint of REG6001 for `written`, a data path that names no file: a file
 * of a near name in the folder it points into (`data.csv` for `Data.csv`),
 * with a fix that writes it, or else where a data path is looked for.
 */
export function missingFileHint(written: string, specPath: string | undefined, access: DataAccess | undefined, at: Span): ReportExtras {
  const name = posix.basename(written);
  const match = name ? nearest(name, filesBeside(written, specPath, access)) : undefined;
  if (!match) return { hint: "a data path resolves beside the spec first, then inside an installed package (`PACKAGE/FILE`)" };
  const path = `${written.slice(0, written.length - name.length)}${match}`;
  const hint = `did you mean \`${path}\`?`;
  // A name that a string would have to escape gets the hint alone.
  return /["\\\u0000-\u001f]/.test(path) ? { hint } : { hint, fix: { title: `Replace the path with \`${path}\``, edits: [{ span: at, newText: `"${path}"` }] } };
}
