import type { ArgSpec } from "../catalog/types.js";
import type * as A from "../syntax/ast.js";
import type { CheckContext } from "./context.js";
import type { ClauseUse, RegularizeInfo } from "./program.js";

/**
 * Arguments that count something made once per epoch at most (a snapshot
 * ensemble's cycles, each ending in a snapshot) cannot ask for more than the
 * `train` block's epochs: the run would make fewer without a word.
 */
export function checkEpochBounds(ctx: CheckContext, blocks: readonly RegularizeInfo[], epochs: number | undefined): void {
  if (epochs === undefined) return;
  for (const { use, spec, value } of epochCountedArguments(blocks)) {
    if (value <= epochs) continue;
    const written = writtenValue(use, spec);
    ctx.sink.report(
      "REG2001",
      written?.span ?? use.techniqueSpan,
      { what: `\`${use.technique.name}\` argument \`${spec.name}\``, range: `at most ${epochs}, the epochs of \`train\``, value: written ? String(value) : `${value} (its default)` },
      { hint: `lower \`${spec.name}\`, or train more \`epochs\`` },
    );
  }
}

/** An argument of a clause that counts something made at most once per epoch, with its value. */
export interface EpochCountedArgument {
  use: ClauseUse;
  spec: ArgSpec;
  value: number;
}

/** The arguments of the clauses in `blocks` that count something made at most once per epoch. */
export function epochCountedArguments(blocks: readonly RegularizeInfo[]): EpochCountedArgument[] {
  return blocks.flatMap((block) =>
    block.uses.flatMap((use) =>
      use.technique.args.flatMap((spec) => {
        const value = use.args[spec.name];
        return spec.atMostEpochs && typeof value === "number" ? [{ use, spec, value }] : [];
      }),
    ),
  );
}

/** Where the clause writes an argument, by name or by position; undefined where it takes the default. */
function writtenValue(use: ClauseUse, spec: ArgSpec): A.Expr | undefined {
  const args = use.statement.call.args;
  const named = args.find((arg) => arg.name?.name === spec.name);
  if (named) return named.value;
  const position = use.technique.args.filter((s) => s.positional).indexOf(spec);
  return position < 0 ? undefined : args.filter((arg) => arg.form === "positional")[position]?.value;
}
