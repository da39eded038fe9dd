import { join, resolve, sep } from "node:path";
import type { Command } from "./command.js";
import { ExitCode } from "./exit-codes.js";
import { packageRoot } from "./package-root.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { UsageError } from "./usage-error.js";

export const exportCommand: Command = {
  name: "export",
  help: `Usage: regc export RUN_FOLDER -o FOLDER

Write FOLDER from a run folder of \`regc run\`: the model as a stock
TensorFlow.js LayersModel (model.json, weights.bin) with the preprocessing
it needs (feature order, normalization statistics, class labels) in its
metadata, a README stating its inputs and outputs, and a page (index.html
with reglang-predict.js) that predicts in a browser.

Options:
  -o, --out FOLDER  where to write the export (required)
  -h, --help        show this help

Exit codes: 0 written, 2 usage or I/O error, or a model that cannot be
exported (the message names the clause).
`,
  flags: { "--out": { kind: "value", meaning: "a folder", alias: "-o" } },
  async run(args, output) {
    if (args.positionals.length !== 1) throw new UsageError("give one run folder: regc export RUN_FOLDER -o FOLDER");
    const out = args.values.get("--out");
    if (out === undefined) throw new UsageError("say where to write the export: -o FOLDER");
    const { selectBackend } = await import("../runtime/backend/select.js");
    const { writeExportFolder } = await import("../predict/node/export-folder.js");
    const { InputError } = await import("../predict/input-error.js");
    try {
      // Reading the model computes nothing: the plain JavaScript backend will do.
      await selectBackend("cpu");
      const written = await writeExportFolder(args.positionals[0]!, resolve(out), join(packageRoot(), "dist", "predict.browser.js"));
      output.stdout(`wrote ${written.map((file) => join(out, file)).join(", ")}\n`);
      return ExitCode.Ok;
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(error.message);
      if (writing(error, resolve(out))) throw new UsageError(`cannot write the export to ${out}: ${describeIoError(error)}; give -o a folder you can write to (it is made if missing)`);
      throw error;
    }
  },
};

/** Whether a file system error is about the export folder or a file in it (a file in its place, no permission, a full disk), not about the run it reads. */
function writing(error: unknown, target: string): boolean {
  const { path, dest } = error as { path?: unknown; dest?: unknown };
  return [path, dest].some((name) => typeof name === "string" && (name === target || name.startsWith(target + sep)));
}
