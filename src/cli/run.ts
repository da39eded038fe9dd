import { accessSync, constants, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism } from "node:os";
import { basename, dirname, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Runtime from "../runtime/index.js";
import { MAX_SEED, parseWholeNumber } from "../shared/whole-number.js";
import type { Command, Output } from "./command.js";
import { compileSpec } from "./compile-spec.js";
import { INTEGER_MAX } from "../compiler/checker/numbers.js";
import { BACKEND_FLAG } from "./backend-option.js";
import { MAX_WASM_THREADS } from "../runtime/backend/threaded-wasm.js";
import { CHECK_FLAGS, checkFlagsHelp, checkOptionsOf } from "./check-options.js";
import { isModulePackage } from "./module-scope.js";
import { eraseTypes } from "./transpile.js";
import { ExitCode } from "./exit-codes.js";
import { makeFolders, removeEmptyFolders } from "../shared/make-folders.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { UsageError } from "./usage-error.js";
import { isProcessRunning } from "../shared/process-running.js";

/** Generated programs are compiled here, one level below the runs folder like the run folders themselves, so the spec-relative data paths they hold work from either. */
const COMPILED_FOLDER = ".compiled";

export const runCommand: Command = {
  name: "run",
  get help() {
    return `Usage: regc run SPEC [--backend NAME] [--threads N] [--replicas N] [--runs FOLDER] [--epochs N] [--seed N] [--workers N]
       regc run --resume RUN_FOLDER [--workers N]

Compile SPEC exactly as \`regc compile\` does and run that program: train on
the data, show progress, and write a run folder RUNS/NAME-DATE-TIME with the
program, history.json, metrics.json, the trained weights (model/), a
checkpoint and report.html. Ctrl-C (or SIGTERM) stops after the current
step with a checkpoint; --resume continues that run with the program stored in it and
the options it was started with (--epochs, --backend and --replicas, unless given again).
Resuming a finished run does nothing unless --epochs asks for more.
With \`bagging\`, the members train at once, each in a process of its own
running the same program; its output lines start with [member-I]. The
numbers do not depend on how many train at once; --resume trains only the
members not finished.

Options:
  --backend NAME             tfjs-node-gpu, tfjs-node, webgpu, wasm, cpu or
                             tensorflow (default: the first of these that loads)
  --threads N                threads to train with, 1 to ${MAX_WASM_THREADS} (default:
                             $REGLANG_THREADS, else one or one per core,
                             whichever the first steps time faster)
  --replicas N               on wasm, train data-parallel: N replicas, each a
                             thread with its own backend, its share of --threads
                             (at least one) and of every batch, their gradients
                             summed (default 1: all the threads in one backend).
                             The numbers depend on the seed and N only; a resumed
                             run keeps its N
  --runs FOLDER              where run folders are made (default: runs)
  --epochs N                 train N epochs instead of the spec's number
  --seed N                   the training seed (initial weights, batch order,
                             masks, noise) instead of the spec's; the data
                             split keeps the data block's seed. 0 to 4294967295
  --resume FOLDER            continue an interrupted run
  --workers N                bagging members trained at once, each in its own
                             process (default: one per core, here ${availableParallelism()});
                             1 trains them here, one after another
${checkFlagsHelp()}
  -h, --help                 show this help

Exit codes: 0 trained, 1 the spec has errors, 2 usage, I/O or data error,
5 the loss diverged (NaN or infinite), 130 interrupted (resumable).
`;
  },
  flags: {
    "--backend": BACKEND_FLAG,
    "--threads": { kind: "value", meaning: "a number of threads" },
    "--replicas": { kind: "value", meaning: "a number of replicas" },
    "--runs": { kind: "value", meaning: "a folder" },
    "--epochs": { kind: "value", meaning: "a whole number of epochs" },
    "--seed": { kind: "value", meaning: "a training seed, 0 to 4294967295" },
    "--resume": { kind: "value", meaning: "a run folder" },
    "--workers": { kind: "value", meaning: "a number of worker processes" },
    ...CHECK_FLAGS,
  },
  async run(args, output) {
    const resume = args.values.get("--resume");
    const options: Runtime.RunOptions = {
      ...(args.values.has("--backend") && { backend: args.values.get("--backend")! }),
      ...(args.values.has("--threads") && { threads: parseWholeNumber("--threads", args.values.get("--threads")!, 1, MAX_WASM_THREADS) }),
      ...(args.values.has("--replicas") && { replicas: parseWholeNumber("--replicas", args.values.get("--replicas")!, 1, MAX_WASM_THREADS) }),
      ...(args.values.has("--epochs") && { epochs: parseWholeNumber("--epochs", args.values.get("--epochs")!, 1, INTEGER_MAX) }),
      ...(args.values.has("--seed") && { seed: parseWholeNumber("--seed", args.values.get("--seed")!, 0, MAX_SEED) }),
      ...(args.values.has("--workers") && { workers: parseWholeNumber("--workers", args.values.get("--workers")!, 1, 1024) }),
    };
    if (resume) {
      if (args.positionals.length > 0) throw new UsageError("`--resume` continues a run with the program stored in it: give no spec");
      if (options.seed !== undefined) throw new UsageError("`--resume` continues a run with the seed it started with: drop `--seed`");
      if (args.values.has("--runs")) throw new UsageError("`--resume` continues a run in its own folder, and `--runs` is where new runs go: drop `--runs`");
      return runProgram(storedProgram(resume), { ...options, resume }, output);
    }
    const runs = resolve(args.values.get("--runs") ?? "runs");
    const checkOptions = checkOptionsOf(args);
    const made = prepareRunsFolder(runs, args.values.get("--runs") ?? "runs");
    try {
      const compiled = await compileSpec(args.positionals, join(runs, COMPILED_FOLDER), output, "run", checkOptions);
      if (!compiled.ok) return ExitCode.SpecErrors;
      // Kept in the run folder as `regc compile` would name it there: `.mts` in a CommonJS package.
      const fileName = isModulePackage(runs) ? compiled.fileName : compiled.fileName.replace(/\.ts$/, ".mts");
      const program = { folder: join(runs, COMPILED_FOLDER), fileName, code: compiled.code };
      return await runProgram(program, { ...options, runs, spec: { fileName: basename(compiled.spec.path), text: compiled.spec.text } }, output);
    } finally {
      // A spec with errors, or a run refused before it trained, leaves no `runs/.compiled` it made; a trained run's folder stays.
      removeEmptyFolders(made);
    }
  },
};

interface Program {
  /** Where the program is transpiled to and imported from. */
  folder: string;
  fileName: string;
  code: string;
}

/**
 * Transpiles the generated TypeScript (types erased, nothing else changed),
 * points its `reglang/runtime` import at this regc's own runtime, imports it
 * and calls its `main`: what `regc compile` writes is exactly what runs.
 */
async function runProgram(program: Program, options: Runtime.RunOptions, output: Output): Promise<ExitCode> {
  const runtimeUrl = new URL("./runtime.js", import.meta.url).href;
  const javascript = (await eraseTypes(program.code)).replace(/from "reglang\/runtime"/g, `from ${JSON.stringify(runtimeUrl)}`);
  const modulePath = join(program.folder, `${program.fileName.replace(/\.m?ts$/, "")}.${process.pid}.mjs`);
  const made = writeModule(modulePath, javascript);
  const runtime = (await import(runtimeUrl)) as typeof Runtime;
  try {
    const generated = (await import(pathToFileURL(modulePath).href)) as { main(options: Runtime.RunOptions): Promise<Runtime.RunResult> };
    await generated.main({ ...options, code: { fileName: program.fileName, text: program.code } });
    return ExitCode.Ok;
  } catch (error) {
    const known = runtime.describeRunError(error);
    if (!known) throw error;
    output.stderr(`regc: ${known.expected ? "" : "error: "}${known.message}\n`);
    return known.exitCode as ExitCode;
  } finally {
    removeModule(modulePath);
    removeEmptyFolders(made);
  }
}

/**
 * Writes the module to import, in a folder made for it where missing (a
 * resumed run folder's program is compiled beside it; that folder goes
 * again once empty). Returns the folders it made. A folder that cannot hold
 * it (read-only, full) is a usage error naming it, before anything trains.
 */
function writeModule(modulePath: string, javascript: string): string[] {
  let made: string[] = [];
  try {
    made = makeFolders(dirname(modulePath));
    removeOrphans(dirname(modulePath));
    writeFileSync(modulePath, javascript);
    return made;
  } catch (error) {
    removeModule(modulePath);
    removeEmptyFolders(made);
    throw new UsageError(`cannot write ${modulePath}, the program regc run imports: ${describeIoError(error)}`);
  }
}

/** Best effort, so that the error that ended the run is the one reported: a module left behind (the file system went read-only) is removed by the next run's `removeOrphans`. */
function removeModule(modulePath: string): void {
  try {
    rmSync(modulePath, { force: true });
  } catch {
    // Left for the next run, see above.
  }
}

/** The program a run folder keeps, to continue it exactly as it started. */
function storedProgram(runFolder: string): Program {
  const folder = resolve(runFolder);
  let files: string[];
  try {
    files = readdirSync(folder).filter((name) => /\.m?ts$/.test(name));
  } catch (error) {
    throw new UsageError(`cannot read run folder ${runFolder}: ${describeIoError(error)}`);
  }
  if (files.length !== 1) throw new UsageError(`${runFolder} should hold one generated .ts program, it holds ${files.length}`);
  return { folder: join(dirname(folder), COMPILED_FOLDER), fileName: files[0]!, code: readFileSync(join(folder, files[0]!), "utf8") };
}

/**
 * Makes the runs folder and its `.compiled/` before anything is checked or
 * trained, so a path that cannot hold them (a file, a read-only or kernel
 * folder) is a usage error naming the problem rather than a failure later.
 * Returns the folders it made.
 */
function prepareRunsFolder(runs: string, written: string): string[] {
  try {
    const made = makeFolders(join(runs, COMPILED_FOLDER));
    accessSync(runs, constants.W_OK);
    return made;
  } catch (error) {
    throw new UsageError(`cannot use --runs ${written}: ${describeIoError(error)}; give a folder you can write to (it is made if missing)`);
  }
}

/** `NAME.PID.mjs` is the module a `regc` process imports; one whose process is gone (killed with -9) is left over. */
const COMPILED_MODULE = /\.(\d+)\.mjs$/;

/** Removes the compiled modules of processes that no longer run, as an interrupted start could not. */
function removeOrphans(folder: string): void {
  for (const name of readdirSync(folder)) {
    const pid = COMPILED_MODULE.exec(name)?.[1];
    if (pid !== undefined && !isProcessRunning(Number(pid))) rmSync(join(folder, name), { force: true });
  }
}
