import { existsSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, resolve, sep } from "node:path";
import { isInside } from "../shared/path-inside.js";
import type { Command } from "./command.js";
import { ExitCode } from "./exit-codes.js";
import { packageRoot } from "./package-root.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { UsageError } from "./usage-error.js";

export const exportCommand: Command = {
  name: "export",
  help: `Usage: regc export RUN_FOLDER -o FOLDER [--force]

Write FOLDER from a run folder of \`regc run\`: the model as a stock
TensorFlow.js LayersModel (model.json, weights.bin) with the preprocessing
it needs (feature order, normalization statistics, class labels) in its
metadata, a README stating its inputs and outputs, and a page (index.html
with reglang-predict.js) that predicts in a browser. FOLDER lies outside
RUN_FOLDER and does not hold it, so the two never mix their files. FOLDER
is new, empty or an earlier export, whose files are replaced; a folder
holding other files is refused, as the export could write over them.

Options:
  -o, --out FOLDER  where to write the export (required)
  --force           write into a folder holding other files, replacing any
                    of them named as the export's files are
  -h, --help        show this help

Exit codes: 0 written, 2 usage or I/O error, or a model that cannot be
exported (the message names the clause).
`,
  flags: { "--out": { kind: "value", meaning: "a folder", alias: "-o" }, "--force": { kind: "switch" } },
  async run(args, output) {
    if (args.positionals.length !== 1) throw new UsageError("give one run folder: regc export RUN_FOLDER -o FOLDER");
    const out = args.values.get("--out");
    if (out === undefined) throw new UsageError("say where to write the export: -o FOLDER");
    const source = args.positionals[0]!;
    const { selectBackend } = await import("../runtime/backend/select.js");
    const { writeExportFolder } = await import("../predict/node/export-folder.js");
    const { modelFolder } = await import("../predict/node/model-folder.js");
    const { foreignFilesProblem } = await import("../predict/node/export-target.js");
    const { InputError } = await import("../predict/input-error.js");
    try {
      // A folder with no model is refused as such before it is compared with -o.
      modelFolder(source, "export");
      refuseOverlap(source, out);
      const foreign = args.switches.has("--force") ? undefined : foreignFilesProblem(resolve(out), out);
      if (foreign !== undefined) throw new UsageError(foreign);
      // Reading the model computes nothing: the plain JavaScript backend will do.
      await selectBackend("cpu");
      const written = await writeExportFolder(source, resolve(out), join(packageRoot(), "dist", "predict.browser.js"));
      output.stdout(`wrote ${written.map((file) => join(out, file)).join(", ")}\n`);
      return ExitCode.Ok;
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(error.message);
      if (writing(error, resolve(out))) throw new UsageError(`cannot write the export to ${out}: ${describeIoError(error)}; give -o a folder you can write to (it is made if missing)`);
      throw error;
    }
  },
};

/**
 * Whether a file system error is about the export folder, a file in it or a
 * folder on the way to it (a file in its place, no permission, a full disk,
 * a kernel folder that holds no others), not about the run it reads.
 */
function writing(error: unknown, target: string): boolean {
  const { path, dest } = error as { path?: unknown; dest?: unknown };
  return [path, dest].some((name) => typeof name === "string" && (name === target || name.startsWith(target + sep) || target.startsWith(name.replace(/\/?$/, sep))));
}

/**
 * An export written into the run folder, or around it, would mix its files
 * with the run's: refused, whichever way the two paths are written
 * (relative, through a symbolic link, with a trailing slash).
 */
function refuseOverlap(source: string, out: string): void {
  const run = realPath(exportedFolder(source));
  const target = realPath(out);
  const where = target === run ? "is" : isInside(target, run) ? "is inside" : isInside(run, target) ? "holds" : undefined;
  if (where === undefined) return;
  throw new UsageError(`cannot write the export to ${out}: it ${where} the run folder ${source}, and the export's files would mix with the run's; give -o another folder, outside ${source} and not holding it`);
}

/** The folder an export reads: the one named, or the folder of a `model.json` named directly. */
function exportedFolder(source: string): string {
  return existsSync(source) && !statSync(source).isDirectory() ? dirname(source) : source;
}

/** The real path, even of a folder not made yet: its deepest existing ancestor's real path, then the rest as written. */
function realPath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(realPath(parent), basename(absolute));
  }
}
