import { BACKEND_FLAG, useBackend } from "./backend-option.js";
import type { Command } from "./command.js";
import { ExitCode } from "./exit-codes.js";
import { formatPredictions, type Format } from "./predict-output.js";
import { UsageError } from "./usage-error.js";

export const predictCommand: Command = {
  name: "predict",
  help: `Usage: regc predict MODEL INPUT… [--format text|json|csv] [--backend NAME]

MODEL is a run folder of \`regc run\` or an export folder of \`regc export\`.
INPUT is one CSV or JSON file of rows — columns by name, in raw units: the
model's saved preprocessing (normalization fitted on train, missing values)
is applied — or PNG/JPEG images for a model of images. Prints each
example's prediction: class names with their probabilities, or values;
with Monte-Carlo dropout, their spread over the passes.

Options:
  --format FORMAT  text (default), json or csv
  --backend NAME   tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu, or tensorflow
                   for either native binding (default: the first that loads)
  -h, --help       show this help

Exit codes: 0 predicted, 2 usage or I/O error, or an input the model cannot
read (the message names the row and column).
`,
  flags: {
    "--format": { kind: "choice", choices: ["text", "json", "csv"] },
    "--backend": BACKEND_FLAG,
  },
  async run(args, output) {
    const [model, ...inputs] = args.positionals;
    if (model === undefined || inputs.length === 0) throw new UsageError("give a run or export folder and an input: regc predict MODEL INPUT");
    const format = (args.values.get("--format") ?? "text") as Format;
    const { isModelFolder, loadModelFolder } = await import("../predict/node/model-folder.js");
    const { readPredictInput } = await import("../predict/node/input-file.js");
    const { InputError } = await import("../predict/input-error.js");
    const secondModel = inputs.find(isModelFolder);
    if (secondModel !== undefined) throw new UsageError(`two model folders were given, ${model} and ${secondModel}: give one run or export folder, then the rows or images to predict (regc predict MODEL INPUT…)`);
    try {
      const input = readPredictInput(inputs);
      await useBackend(args.values.get("--backend"));
      const predictor = await loadModelFolder(model);
      const predictions =
        input.kind === "table"
          ? predictor.predictRows(input.rows, { rowName: (i) => `${input.path}, ${input.names[i]}`, columns: input.columns, source: input.path })
          : predictor.predictImages(input.images, { imageName: (i) => input.names[i]! });
      output.stdout(formatPredictions(predictions, input.names, format));
      return ExitCode.Ok;
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(error.message);
      throw error;
    }
  },
};
