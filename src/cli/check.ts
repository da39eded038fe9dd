import { resolve } from "node:path";
import { check, type Diagnostic } from "../compiler/index.js";
import { summarize, summaryLine, type CheckedFile } from "../compiler/diagnostics/render/checked-file.js";
import { renderGithub } from "../compiler/diagnostics/render/github.js";
import { renderJsonPieces } from "../compiler/diagnostics/render/json.js";
import { renderText } from "../compiler/diagnostics/render/text.js";
import type { Command } from "./command.js";
import { CHECK_FLAGS, checkFlagsHelp, checkOptionsOf } from "./check-options.js";
import { ExitCode } from "./exit-codes.js";
import { expandFileArgs, skippedLinkMessage } from "./expand-files.js";
import { readEachSpec, unreadableMessage } from "./read-specs.js";
import { plural } from "../shared/plural.js";

const FORMATS = ["text", "json", "github"] as const;

export const checkCommand: Command = {
  name: "check",
  get help() {
    return `Usage: regc check FILES… [--format text|json|github] [--warnings-as-errors] [--quiet]

Parse and type-check .reg specs. FILES may be files, folders (every *.reg
below them, skipping node_modules and links out of the folder) or globs
("specs/**/*.reg").

Options:
  --format text|json|github  text for people (default); json for tools
                             (docs/json-output.md); github for workflow
                             annotations on pull requests
  --warnings-as-errors       fail (exit 1) on warnings too
  --quiet                    show only what fails the run, no summary line
${checkFlagsHelp()}
  -h, --help                 show this help

Exit codes: 0 no errors, 1 a spec has errors, 2 usage or I/O error (a file
that cannot be read is named, and the others are still checked).
`;
  },
  flags: {
    "--format": { kind: "choice", choices: FORMATS },
    "--warnings-as-errors": { kind: "switch" },
    "--quiet": { kind: "switch" },
    ...CHECK_FLAGS,
  },
  async run(args, output) {
    const options = checkOptionsOf(args);
    const { paths, skipped } = await expandFileArgs(args.positionals, "check");
    for (const link of skipped) output.stderr(`regc: warning: ${skippedLinkMessage(link)}\n`);
    const { specs, unreadable } = readEachSpec(paths);
    for (const spec of unreadable) output.stderr(`regc: error: ${unreadableMessage(spec)}\n`);
    const failsRun = (d: Diagnostic) => d.severity === "error" || (d.severity === "warning" && args.switches.has("--warnings-as-errors"));
    const quiet = args.switches.has("--quiet");

    const files: CheckedFile[] = specs.map((spec) => {
      const { diagnostics } = check(spec.text, { ...options, path: resolve(spec.path) });
      return { ...spec, diagnostics: quiet ? diagnostics.filter(failsRun) : diagnostics };
    });

    switch (args.values.get("--format") ?? "text") {
      case "json":
        // In pieces: the document of a spec with millions of diagnostics would outgrow one string.
        for (const piece of renderJsonPieces(files)) output.stdout(piece);
        break;
      case "github":
        output.stdout(renderGithub(files));
        break;
      default: {
        const rendered = renderText(files, { color: output.color });
        const notRead = unreadable.length > 0 ? `; ${plural(unreadable.length, "file")} could not be read` : "";
        output.stdout(quiet ? rendered : `${rendered}${rendered ? "\n" : ""}${summaryLine(summarize(files))}${notRead}\n`);
      }
    }
    if (unreadable.length > 0) return ExitCode.Usage;
    return files.some((file) => file.diagnostics.some(failsRun)) ? ExitCode.SpecErrors : ExitCode.Ok;
  },
};
