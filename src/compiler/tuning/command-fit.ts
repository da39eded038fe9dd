import type { Program } from "../checker/program.js";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { makeDiagnostic } from "../diagnostics/report.js";
import { span } from "../syntax/span.js";

/**
 * Whether a spec that checks fits the command given it: one program
 * (`regc run`, `compile`, `ablate`) or a family of them (`regc tune`). A
 * misfit is a diagnostic of the spec, exit code 1, as any spec error is.
 */

/** REG7002 for a spec with search spaces where one program is wanted: a family of them, which `regc tune` searches. */
export function oneProgramProblems(program: Program, specName: string): Diagnostic[] {
  return program.spaces.length > 0 ? [makeDiagnostic("REG7002", program.spaces[0]!.span, { file: specName })] : [];
}

/** REG7003 for a spec `regc tune` has nothing to search in: no search spaces, or no epochs to budget its trials in. */
export function tuningProblems(program: Program, specName: string): Diagnostic[] {
  if (program.spaces.length === 0) {
    return [makeDiagnostic("REG7003", span(0, 0), { detail: `it has no search spaces, so every trial would train the same spec; train it with \`regc run ${specName}\`` })];
  }
  if (trainEpochs(program) === undefined) {
    const train = program.train;
    const at = train?.settingSpans.get("solver") ?? train?.keyword ?? span(0, 0);
    return [makeDiagnostic("REG7003", at, { detail: "it solves for its weights in one step (`solver closed_form`), and a tuning budgets its trials in epochs" })];
  }
  return [];
}

/** The train block's `epochs`; none for a closed-form solve. */
export function trainEpochs(program: Program): number | undefined {
  const epochs = program.train?.settings.get("epochs")?.values["value"];
  return typeof epochs === "number" ? epochs : undefined;
}
