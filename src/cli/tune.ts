import { basename, resolve } from "node:path";
import { trainEpochs, tuningProblems } from "../compiler/tuning/command-fit.js";
import { firstRungEpochs, lastRungUnreached, rungEpochs } from "../compiler/tuning/rungs.js";
import { newExperimentFolder, shownPath } from "./experiment-folder.js";
import { QueueError } from "../experiments/queue/queue-error.js";
import { shipSpecFiles } from "../experiments/spec-files.js";
import { readDocument, type RunRecord, type TuningPlan } from "../experiments/tuning/document.js";
import { renderTuningText } from "../experiments/tuning/render-text.js";
import { runTuning, TuningInputsChanged } from "../experiments/tuning/run-tuning.js";
import { gridSize, type Domain } from "../experiments/tuning/sampling.js";
import { formatMetric } from "../runtime/run/format-number.js";
import { plural } from "../shared/plural.js";
import { MAX_SEED, parseWholeNumber } from "../shared/whole-number.js";
import type { ParsedArgs } from "./args.js";
import type { Command, Output } from "./command.js";
import { everyTrialFailed } from "./every-trial-failed.js";
import { ExitCode } from "./exit-codes.js";
import { ENGINE_FLAG_TABLE, ENGINE_FLAGS_HELP, engineFlags, EXPERIMENT_EXIT_CODES_HELP, openExperimentEngine, queueFailure, resumeCommand, stopOnCtrlC } from "./experiment-options.js";
import { checkedExperimentSpec, refuseChangesOnResume } from "./experiment-spec.js";
import { UsageError } from "./usage-error.js";

export const tuneCommand: Command = {
  name: "tune",
  help: `Usage: regc tune SPEC [--trials N] [--workers N] [--queue URL] [--seed N]
                 [--backend NAME] [--out FOLDER] [--format text|json]
       regc tune --resume FOLDER [--workers N] [--queue URL] [--format text|json]

Trains points of SPEC's search spaces (\`choice(…)\`, \`uniform(lo, hi)\`,
\`log_uniform(lo, hi)\`, \`int_uniform(lo, hi)\`) as its \`tune\` block says:
\`method random\` draws each trial's point, \`grid\` trains every combination
of the choices, \`halving\` runs asynchronous successive halving (ASHA):
trials start with few epochs and the best 1/η of each rung are trained
again from the start with η times the epochs, up to the spec's epochs.
The objective (\`objective maximize val_accuracy\`) picks the best point
among the trials that reached the highest budget.

Every trial is its own \`regc run\` process at the same training seed, so
trials differ only by their points; the seed also draws the points. The
folder OUT/NAME-DATE-TIME holds tuning.json, best.reg (the spec at the
best point, which \`regc run\` trains), report.html and every run's folder
under trials/. Ctrl-C or SIGTERM stops (exit 130) keeping finished runs;
--resume continues and ends where an uninterrupted tuning would (with one worker).

Options:
  --trials N         trials to run instead of the tune block's number
${ENGINE_FLAGS_HELP}
  --seed N           draws the points and is every trial's training seed
                     (default: the train block's seed, else 0)
  --out FOLDER       where tuning folders are made (default: tuning)
  --format FORMAT    text (default) or json (versioned: docs/json-output.md)
  --resume FOLDER    continue an interrupted tuning
  -h, --help         show this help

${EXPERIMENT_EXIT_CODES_HELP}
`,
  flags: {
    ...ENGINE_FLAG_TABLE,
    "--trials": { kind: "value", meaning: "a number of trials" },
    "--seed": { kind: "value", meaning: "a whole number" },
    "--out": { kind: "value", meaning: "a folder" },
    "--format": { kind: "choice", choices: ["text", "json"] },
    "--resume": { kind: "value", meaning: "a tuning folder" },
  },
  async run(args, output) {
    const resume = args.values.get("--resume");
    const flags = engineFlags(args);
    const started = resume ? resumed(resume, args) : fresh(args, output);
    if (started === ExitCode.SpecErrors) return ExitCode.SpecErrors;
    const engine = await openExperimentEngine(started.folder, flags, !started.plan);
    const interrupt = stopOnCtrlC(output, "finished runs");
    try {
      const plan = started.plan ?? (await planFresh(started.fresh!, engine.blobs));
      const budget = plan.rungs.length > 1 ? `rungs of ${plan.rungs.join(", ")} epochs` : `${plural(plan.rungs[0]!, "epoch")} each`;
      output.stderr(`tuning of ${plan.spec}: ${plural(plan.trials, "trial")} (${plan.method}, ${budget}) on ${engine.description} → ${shownPath(started.folder)}\n`);
      const startedAt = Date.now();
      const document = await runTuning(started.folder, plan, started.runs, engine, {
        signal: interrupt.signal,
        onRun: (record, finished) => output.stderr(`[${finished}] ${describeRun(record, plan.objective.metric)} (${((Date.now() - startedAt) / 1000).toFixed(0)} s)\n`),
      });
      const finished = document.runs.filter((run) => run.status === "ok");
      if (finished.length > 0 && finished.every((run) => run.objective === null)) {
        output.stderr(`regc: warning: no trial reported ${plan.objective.metric}; they report ${Object.keys(finished[0]!.metrics).join(", ")}\n`);
      }
      output.stdout(args.values.get("--format") === "json" ? `${JSON.stringify(document, null, 2)}\n` : renderTuningText(document, shownPath(started.folder), resumeCommand("tune", shownPath(started.folder), flags)));
      if (interrupt.signal.aborted && !document.complete) return ExitCode.Interrupted;
      const failure = everyTrialFailed(document.runs);
      if (failure === undefined) return ExitCode.Ok;
      output.stderr(`regc: error: ${failure}\n`);
      return ExitCode.Usage;
    } catch (error) {
      if (error instanceof TuningInputsChanged) throw new UsageError(error.message);
      if (error instanceof QueueError) throw queueFailure(error, resumeCommand("tune", shownPath(started.folder), flags));
      throw error;
    } finally {
      interrupt.release();
      await engine.close();
    }
  },
};

interface Started {
  folder: string;
  runs: Map<string, RunRecord>;
  /** Known when resuming; made once the engine's store is open for a fresh tuning. */
  plan?: TuningPlan;
  fresh?: Omit<TuningPlan, "trialSpecFileName" | "files">;
}

const FIXED_AT_START = ["--trials", "--seed", "--backend", "--out"];

function resumed(folder: string, args: ParsedArgs): Started {
  refuseChangesOnResume("tuning", args, FIXED_AT_START);
  const read = readDocument(resolve(folder));
  if (typeof read === "string") throw new UsageError(read);
  return { folder: resolve(folder), runs: read.runs, plan: read.plan };
}

function fresh(args: ParsedArgs, output: Output): Started | typeof ExitCode.SpecErrors {
  const spec = checkedExperimentSpec("tune", args, output, tuningProblems);
  if (spec === ExitCode.SpecErrors) return spec;
  const { absolutePath: specPath, program } = spec;
  // A spec that checks and has search spaces has its `tune` block (REG5020), and tuningProblems found its epochs.
  const tune = program.tune!;
  const epochs = trainEpochs(program)!;
  const spaces = program.spaces.map(
    (space): Domain => (space.kind === "choice" ? { name: space.name, kind: "choice", options: space.options } : { name: space.name, kind: space.kind, low: space.low, high: space.high }),
  );
  const asked = args.values.has("--trials") ? parseWholeNumber("--trials", args.values.get("--trials")!, 1, 100_000) : tune.trials!;
  const trials = tune.method === "grid" ? Math.min(asked, gridSize(spaces)) : asked;
  const seedText = args.values.get("--seed");
  const specSeed = program.train?.settings.get("seed")?.values["value"];
  const seed = seedText !== undefined ? parseWholeNumber("--seed", seedText, 0, MAX_SEED) : typeof specSeed === "number" ? specSeed : 0;
  const rungs = tune.method === "halving" ? rungEpochs(firstRungEpochs(tune, epochs), epochs, tune.reduction) : [epochs];
  // The spec's own number was checked with the spec (REG5007); one given here is checked here.
  const unreached = args.values.has("--trials") && tune.method === "halving" ? lastRungUnreached(trials, rungs, tune.reduction) : undefined;
  if (unreached) output.stderr(`regc: warning: --trials ${trials}: ${unreached.detail}; ${unreached.hint}\n`);
  const backend = args.values.get("--backend");
  const folder = newExperimentFolder(args.values.get("--out"), "tuning", basename(specPath, ".reg"));
  return {
    folder,
    runs: new Map(),
    fresh: {
      spec: spec.path,
      specPath,
      specText: spec.text,
      method: tune.method,
      objective: { metric: tune.objective!, direction: tune.direction },
      trials,
      seed,
      spaces,
      rungs,
      reduction: tune.reduction,
      ...(backend !== undefined && { backend }),
    },
  };
}

async function planFresh(fresh: NonNullable<Started["fresh"]>, blobs: Parameters<typeof shipSpecFiles>[2]): Promise<TuningPlan> {
  // Trials differ only by their points, never by their data: any point's spec ships the same files.
  const shipped = await shipSpecFiles(fresh.specPath, fresh.specText, blobs);
  return { ...fresh, trialSpecFileName: shipped.fileName, files: shipped.files };
}

function describeRun(record: RunRecord, metric: string): string {
  const what = `trial ${record.trial}, ${plural(record.budget, "epoch")}`;
  if (record.status !== "ok") return `${what}: ${record.status}: ${(record.reason ?? "").split("\n")[0]}`;
  return `${what}: ${metric} ${record.objective === null ? "not reported" : formatMetric(record.objective)}`;
}
