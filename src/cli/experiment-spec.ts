import { basename, resolve } from "node:path";
import { check, hasErrors } from "../compiler/index.js";
import { renderText } from "../compiler/diagnostics/render/text.js";
import type { Program } from "../compiler/checker/program.js";
import type { Diagnostic } from "../compiler/diagnostics/diagnostic.js";
import type { ParsedArgs } from "./args.js";
import type { Output } from "./command.js";
import { ExitCode } from "./exit-codes.js";
import { readSpecs } from "./read-specs.js";
import { UsageError } from "./usage-error.js";

/** What `regc ablate` and `regc tune` start from: one spec, checked, or when resuming, the folder's own. */

export interface ExperimentSpec {
  /** As the user wrote it. */
  path: string;
  absolutePath: string;
  text: string;
  program: Program;
}

/** What keeps a spec that checks from fitting an experiment (`regc ablate` wants one program, `regc tune` search spaces). */
export type CommandFit = (program: Program, specName: string) => Diagnostic[];

/**
 * The one spec a fresh experiment studies, checked, and fitting the
 * experiment; with errors, they are printed and the answer is SpecErrors.
 */
export function checkedExperimentSpec(command: string, args: ParsedArgs, output: Output, fit: CommandFit): ExperimentSpec | typeof ExitCode.SpecErrors {
  if (args.positionals.length !== 1) throw new UsageError(`\`regc ${command}\` takes one spec file, not ${args.positionals.length}`);
  const [spec] = readSpecs(args.positionals);
  const absolutePath = resolve(spec!.path);
  const checked = check(spec!.text, { path: absolutePath });
  const diagnostics = hasErrors(checked.diagnostics) ? checked.diagnostics : fit(checked.program, basename(absolutePath));
  if (hasErrors(diagnostics)) {
    output.stderr(`${renderText([{ ...spec!, diagnostics }], { color: output.color })}\n`);
    return ExitCode.SpecErrors;
  }
  return { ...spec!, absolutePath, program: checked.program };
}

/** A resumed experiment (`experiment`: ablation, tuning) keeps its spec and what the flags `fixedAtStart` set: giving any is a usage error. */
export function refuseChangesOnResume(experiment: string, args: ParsedArgs, fixedAtStart: readonly string[]): void {
  if (args.positionals.length > 0) throw new UsageError(`\`--resume\` continues the ${experiment} in the folder with its own spec: give no spec`);
  const fixed = fixedAtStart.filter((flag) => args.values.has(flag));
  if (fixed.length > 0) throw new UsageError(`${fixed.join(", ")} cannot change when resuming: the ${experiment} keeps what it started with`);
}
