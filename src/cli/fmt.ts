import { realpathSync } from "node:fs";
import { formatSpec } from "../compiler/format/index.js";
import { plural } from "../shared/plural.js";
import { renderText } from "../compiler/diagnostics/render/text.js";
import { visiblePath } from "../compiler/diagnostics/render/visible-text.js";
import type { CheckedFile } from "../compiler/diagnostics/render/checked-file.js";
import type { Command } from "./command.js";
import { ExitCode } from "./exit-codes.js";
import { expandFileArgs, skippedLinkMessage } from "./expand-files.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { readEachSpec, unreadableMessage } from "./read-specs.js";
import { UsageError } from "./usage-error.js";
import { writeFileAtomically } from "../shared/write-file-atomically.js";

export const fmtCommand: Command = {
  name: "fmt",
  help: `Usage: regc fmt FILES… [--check]

Rewrite .reg specs in place in the canonical layout. FILES may be files,
folders (every *.reg below them, skipping node_modules and links out of
the folder) or globs. A spec with syntax errors is reported and left
untouched.

Options:
  --check     write nothing; list the files that would change
  -h, --help  show this help

Exit codes: 0 done (or all formatted), 1 a spec has syntax errors,
2 usage or I/O error (a file that cannot be read is named, and the others
are still formatted), 4 with --check: some files would change.
`,
  flags: { "--check": { kind: "switch" } },
  async run(args, output) {
    const checkOnly = args.switches.has("--check");
    const { paths, skipped } = await expandFileArgs(args.positionals, "fmt");
    for (const link of skipped) output.stderr(`regc: warning: ${skippedLinkMessage(link)}\n`);
    const { specs, unreadable } = readEachSpec(paths);
    for (const spec of unreadable) output.stderr(`regc: error: ${unreadableMessage(spec)}\n`);
    const unparsable: CheckedFile[] = [];
    const changed: string[] = [];

    for (const spec of specs) {
      const formatted = formatSpec(spec.text);
      if (!formatted.ok) {
        unparsable.push({ ...spec, diagnostics: formatted.errors });
        continue;
      }
      if (formatted.text === spec.text) continue;
      changed.push(spec.path);
      if (!checkOnly) writeSpec(spec.path, spec.byteOrderMark ? `\ufeff${formatted.text}` : formatted.text);
    }

    const diagnostics = renderText(unparsable, { color: output.color });
    if (diagnostics) output.stdout(`${diagnostics}\n`);
    for (const path of changed) output.stdout(`${checkOnly ? "would reformat" : "reformatted"}: ${visiblePath(path)}\n`);
    const untouched = specs.length - changed.length - unparsable.length;
    output.stdout(`${describeRun(changed.length, untouched, unparsable.length, unreadable.length, checkOnly)}\n`);

    if (unreadable.length > 0) return ExitCode.Usage;
    if (unparsable.length > 0) return ExitCode.SpecErrors;
    return checkOnly && changed.length > 0 ? ExitCode.Unformatted : ExitCode.Ok;
  },
};

function describeRun(changed: number, untouched: number, unparsable: number, unreadable: number, checkOnly: boolean): string {
  const files = (n: number) => plural(n, "file");
  const parts = [`${files(changed)} ${checkOnly ? "would be reformatted" : "reformatted"}`, `${files(untouched)} already formatted`];
  if (unparsable > 0) parts.push(`${files(unparsable)} with errors left untouched`);
  if (unreadable > 0) parts.push(`${files(unreadable)} could not be read`);
  return parts.join(", ");
}

function writeSpec(path: string, text: string): void {
  try {
    // Through a symbolic link to the file it names: renaming over the link would replace it with a copy.
    writeFileAtomically(realpathSync(path), text);
  } catch (error) {
    throw new UsageError(`cannot write ${visiblePath(path)}: ${visiblePath(describeIoError(error))}`);
  }
}
