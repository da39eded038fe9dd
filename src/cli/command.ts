import type { FlagTable, ParsedArgs } from "./args.js";
import type { ExitCode } from "./exit-codes.js";

/** Where a command writes; the entry point binds it to the process. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal that wants ANSI colors. */
  color: boolean;
}

export interface Command {
  name: string;
  /** One line for `regc --help`. */
  summary: string;
  /** The full text of `regc NAME --help`. */
  help: string;
  flags: FlagTable;
  run(args: ParsedArgs, output: Output): Promise<ExitCode>;
}
