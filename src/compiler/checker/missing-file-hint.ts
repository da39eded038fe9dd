import { posix } from "node:path";
import type { ReportExtras } from "../diagnostics/report.js";
import { filesBeside, type DataAccess } from "../sources/index.js";
import type { Span } from "../syntax/span.js";
import { nearest } from "./suggest.js";

/**
 * The hint of REG6001 for `written`, a data path that names no file: a file
 * of a near name and the same extension in the folder it points into
 * (`data.csv` for `Data.csv`; never `wide.csv` for `wide.json`, which the
 * source would read as the wrong kind), with a fix that writes it, or else
 * where a data path is looked for.
 */
export function missingFileHint(written: string, specPath: string | undefined, access: DataAccess | undefined, at: Span): ReportExtras {
  const name = posix.basename(written);
  const extension = posix.extname(name).toLowerCase();
  const candidates = filesBeside(written, specPath, access).filter((file) => posix.extname(file).toLowerCase() === extension);
  const match = name ? nearest(name, candidates) : undefined;
  if (!match) return { hint: "a data path resolves beside the spec first, then inside an installed package (`PACKAGE/FILE`)" };
  const path = `${written.slice(0, written.length - name.length)}${match}`;
  const hint = `did you mean \`${path}\`?`;
  // A name that a string would have to escape gets the hint alone.
  return /["\\\u0000-\u001f]/.test(path) ? { hint } : { hint, fix: { title: `Replace the path with \`${path}\``, edits: [{ span: at, newText: `"${path}"` }] } };
}

/**
 * The hint of REG6001 for a path written with `\` (`"data\houses.csv"`, as
 * Windows writes it), which a string reads as an escape of the character
 * after it: the fix writes the path with `/`, which every system reads.
 */
export function backslashPathHint(raw: string, at: Span): ReportExtras | undefined {
  if (!raw.startsWith('"') || !raw.includes("\\")) return undefined;
  const path = raw.slice(1, raw.endsWith('"') && raw.length > 1 ? -1 : undefined).replace(/\\(\\|(?!"))/g, "/");
  return {
    hint: `write the path with \`/\`, \`${path}\`: in a string \`\\\` escapes the character after it, and it separates no folders outside Windows`,
    fix: { title: `Replace the path with \`${path}\``, edits: [{ span: at, newText: `"${path}"` }] },
  };
}
