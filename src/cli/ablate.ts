import { basename, resolve } from "node:path";
import * as catalog from "../compiler/catalog/index.js";
import { epochCountedArguments } from "../compiler/checker/epoch-bounds.js";
import { oneProgramProblems } from "../compiler/tuning/command-fit.js";
import { deriveArms, type Arm } from "../experiments/ablation/arms.js";
import { readDocument } from "../experiments/ablation/document.js";
import { newExperimentFolder, shownPath } from "./experiment-folder.js";
import type { AblationPlan, TrialRecord } from "../experiments/ablation/record.js";
import { renderAblationText } from "../experiments/ablation/render-text.js";
import { AblationInputsChanged, runAblation } from "../experiments/ablation/run-ablation.js";
import { defaultMetric, namedMetric } from "../experiments/metric.js";
import { QueueError } from "../experiments/queue/queue-error.js";
import { shipSpecFiles } from "../experiments/spec-files.js";
import { fewerEpochsThanCounted } from "../shared/epochs-counted.js";
import { parseWholeNumber } from "../shared/whole-number.js";
import type { ParsedArgs } from "./args.js";
import type { Command, Output } from "./command.js";
import { everyTrialFailed } from "./every-trial-failed.js";
import { ExitCode } from "./exit-codes.js";
import { ENGINE_FLAG_TABLE, ENGINE_FLAGS_HELP, engineFlags, EXPERIMENT_EXIT_CODES_HELP, openExperimentEngine, queueFailure, resumeCommand, stopOnCtrlC } from "./experiment-options.js";
import { checkedExperimentSpec, refuseChangesOnResume } from "./experiment-spec.js";
import { UsageError } from "./usage-error.js";
import { plural } from "../shared/plural.js";

export const ablateCommand: Command = {
  name: "ablate",
  help: `Usage: regc ablate SPEC [--seeds N] [--epochs N] [--workers N] [--queue URL]
                   [--metric NAME] [--arms LIST] [--backend NAME] [--out FOLDER]
                   [--format text|json]
       regc ablate --resume FOLDER [--workers N] [--queue URL] [--format text|json]

An ablation study of SPEC's regularization. Arms: \`full\` (the spec as
written), one arm per clause of each regularize block with that clause
removed, and \`none\` (every clause removed; with a single clause that is
its own arm). Every arm trains at the same
seeds 0…N−1 (the training seed: initial weights, batch order, masks,
noise; the data split stays as the spec says), so arms compare pairwise.
For each clause the effect is metric(full) − metric(without it), its mean
over seeds with a 95% Student-t interval, and a verdict: helps, hurts, or
unclear (the interval holds 0). A reduced spec with errors (a clause
something else needs) is reported as not removable, with the error.

Trials run as separate \`regc run\` processes, a worker per core. The
folder OUT/NAME-DATE-TIME holds ablation.json, report.html and every
trial's run folder under trials/. Ctrl-C or SIGTERM stops (exit 130)
keeping the finished trials; --resume runs only the missing ones.

Options:
  --seeds N          seeds per arm, 0…N−1 (default 3)
  --epochs N         train N epochs instead of the spec's number
${ENGINE_FLAGS_HELP}
  --metric NAME      what to compare, as metrics.json names it: test_accuracy,
                     val_loss, test_TASK_rmse, … (default: the first task's
                     test accuracy for classify, test RMSE for regress, and
                     accuracy under attack too when the spec trains against one)
  --arms LIST        only these arms (comma-separated): ids as listed
                     (full, none, without-l2, …) or technique names (l2)
  --out FOLDER       where ablation folders are made (default: ablations)
  --format FORMAT    text (default) or json (versioned: docs/json-output.md)
  --resume FOLDER    continue an interrupted ablation
  -h, --help         show this help

${EXPERIMENT_EXIT_CODES_HELP}
`,
  flags: {
    ...ENGINE_FLAG_TABLE,
    "--seeds": { kind: "value", meaning: "a number of seeds" },
    "--epochs": { kind: "value", meaning: "a whole number of epochs" },
    "--metric": { kind: "value", meaning: "a metric name such as test_accuracy" },
    "--arms": { kind: "value", meaning: "a comma-separated list of arms" },
    "--out": { kind: "value", meaning: "a folder" },
    "--format": { kind: "choice", choices: ["text", "json"] },
    "--resume": { kind: "value", meaning: "an ablation folder" },
  },
  async run(args, output) {
    const resume = args.values.get("--resume");
    const flags = engineFlags(args);
    const started = resume ? resumed(resume, args) : fresh(args, output);
    if (started === ExitCode.SpecErrors) return ExitCode.SpecErrors;
    const engine = await openExperimentEngine(started.folder, flags, Boolean(started.fresh));
    const interrupt = stopOnCtrlC(output, "finished trials");
    try {
      const plan = started.plan ?? (await planFresh(started, engine.blobs));
      const removable = plan.arms.filter((arm) => arm.text !== undefined);
      for (const arm of plan.arms) if (arm.notRemovable) output.stderr(`regc: arm \`${arm.name}\` is not removable: ${arm.notRemovable}\n`);
      const remaining = removable.length * plan.seeds.length - started.trials.size;
      output.stderr(`ablation of ${plan.spec}: ${plural(removable.length, "arm")} × ${plural(plan.seeds.length, "seed")}, ${plural(remaining, "trial")} to run on ${engine.description} → ${shownPath(started.folder)}\n`);
      const startedAt = Date.now();
      const document = await runAblation(started.folder, plan, started.trials, engine, {
        signal: interrupt.signal,
        onTrial: (record, done, total) => output.stderr(`[${done}/${total}] ${describeTrial(record, plan.metric.name)} (${((Date.now() - startedAt) / 1000).toFixed(0)} s)\n`),
      });
      const finished = document.trials.filter((trial) => trial.status === "ok");
      if (finished.length > 0 && finished.every((trial) => trial.metrics[plan.metric.name] === undefined)) {
        output.stderr(`regc: warning: no trial reported ${plan.metric.name}; they report ${Object.keys(finished[0]!.metrics).join(", ")}\n`);
      }
      output.stdout(args.values.get("--format") === "json" ? `${JSON.stringify(document, null, 2)}\n` : renderAblationText(document, shownPath(started.folder), resumeCommand("ablate", shownPath(started.folder), flags)));
      if (interrupt.signal.aborted && !document.complete) return ExitCode.Interrupted;
      const failure = everyTrialFailed(document.trials);
      if (failure === undefined) return ExitCode.Ok;
      output.stderr(`regc: error: ${failure}\n`);
      return ExitCode.Usage;
    } catch (error) {
      if (error instanceof AblationInputsChanged) throw new UsageError(error.message);
      if (error instanceof QueueError) throw queueFailure(error, resumeCommand("ablate", shownPath(started.folder), flags));
      throw error;
    } finally {
      interrupt.release();
      await engine.close();
    }
  },
};

interface Started {
  folder: string;
  trials: Map<string, TrialRecord>;
  /** Known when resuming; made once the engine's store is open for a fresh ablation. */
  plan?: AblationPlan;
  fresh?: Omit<AblationPlan, "trialSpecFileName" | "files">;
}

const FIXED_AT_START = ["--seeds", "--epochs", "--metric", "--arms", "--backend", "--out"];

function resumed(folder: string, args: ParsedArgs): Started {
  refuseChangesOnResume("ablation", args, FIXED_AT_START);
  const read = readDocument(resolve(folder));
  if (typeof read === "string") throw new UsageError(read);
  return { folder: resolve(folder), trials: read.trials, plan: read.plan };
}

function fresh(args: ParsedArgs, output: Output): Started | typeof ExitCode.SpecErrors {
  const spec = checkedExperimentSpec("ablate", args, output, oneProgramProblems);
  if (spec === ExitCode.SpecErrors) return spec;
  const { absolutePath: specPath, program } = spec;
  const seedCount = args.values.has("--seeds") ? parseWholeNumber("--seeds", args.values.get("--seeds")!, 1, 1000) : 3;
  const epochs = args.values.has("--epochs") ? parseWholeNumber("--epochs", args.values.get("--epochs")!, 1, 1_000_000) : undefined;
  // The arms that keep such a clause would each be refused; so is the study, before it starts.
  const counts = epochCountedArguments(program.regularize).map(({ use, spec: argument, value }) => ({ technique: use.technique.name, argument: argument.name, count: value }));
  const tooFew = epochs === undefined ? undefined : fewerEpochsThanCounted(epochs, counts);
  if (tooFew !== undefined) throw new UsageError(tooFew);
  const all = deriveArms(spec.text, specPath);
  if (all.length === 1) throw new UsageError(`${spec.path} has no regularize clause to remove`);
  const arms = selectArms(all, args.values.get("--arms"));
  if (arms.length === 1) throw new UsageError("--arms: name at least one arm besides full, which every effect is measured against");
  const kept = arms.filter((arm) => arm.notRemovable !== undefined);
  if (kept.length === arms.length - 1) {
    const why = kept.map((arm) => `  ${arm.name}: ${arm.notRemovable}`).join("\n");
    throw new UsageError(`no clause of ${spec.path} can be removed, as the spec left would have errors; there is nothing to measure the full spec against:\n${why}`);
  }
  const named = args.values.get("--metric");
  const metric = named !== undefined ? namedMetric(named, program) : defaultMetric(program, (kind) => catalog.fn("task", kind)?.metrics ?? []);
  if (typeof metric === "string") throw new UsageError(metric);
  if (!metric) throw new UsageError(`${spec.path} has no task to measure`);
  const backend = args.values.get("--backend");
  const folder = newExperimentFolder(args.values.get("--out"), "ablations", basename(specPath, ".reg"));
  return {
    folder,
    trials: new Map(),
    fresh: {
      spec: spec.path,
      specPath,
      seeds: Array.from({ length: seedCount }, (_, seed) => seed),
      ...(epochs !== undefined && { epochs }),
      ...(backend !== undefined && { backend }),
      metric,
      metricNamed: named !== undefined,
      arms,
    },
  };
}

async function planFresh(started: Started, blobs: Parameters<typeof shipSpecFiles>[2]): Promise<AblationPlan> {
  const plan = started.fresh!;
  const full = plan.arms.find((arm) => arm.id === "full")!;
  const shipped = await shipSpecFiles(plan.specPath, full.text!, blobs);
  return { ...plan, trialSpecFileName: shipped.fileName, files: shipped.files };
}

/** `full` always (every effect is measured against it), and the arms LIST names by id or by technique. */
function selectArms(arms: Arm[], list: string | undefined): Arm[] {
  if (list === undefined) return arms;
  const wanted = list.split(",").map((word) => word.trim()).filter((word) => word !== "");
  const unknown = wanted.filter((word) => !arms.some((arm) => arm.id === word || arm.technique === word));
  if (unknown.length > 0) {
    throw new UsageError(`--arms: no arm ${unknown.map((w) => `\`${w}\``).join(", ")}; the arms are ${arms.map((arm) => arm.id).join(", ")} (or name a technique, such as ${arms.find((a) => a.technique)?.technique ?? "l2"})`);
  }
  return arms.filter((arm) => arm.id === "full" || wanted.some((word) => arm.id === word || arm.technique === word));
}

function describeTrial(record: TrialRecord, metric: string): string {
  if (record.status !== "ok") return `${record.id}: ${record.status}: ${(record.reason ?? "").split("\n")[0]}`;
  const value = record.metrics[metric];
  return `${record.id}: ${metric} ${value === undefined ? "not reported" : value.toPrecision(4)}`;
}
