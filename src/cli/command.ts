import type { FlagTable, ParsedArgs } from "./args.js";
import type { ExitCode } from "./exit-codes.js";

/** Where a command writes; the entry point binds it to the process. */
export interface Output {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stdout is a terminal that wants ANSI colors. */
  color: boolean;
}

/** What `regc --help` lists of a command, and how to load the command itself. */
export interface CommandEntry {
  name: string;
  /** One line for `regc --help`. */
  summary: string;
  load(): Promise<Command>;
}

export interface Command {
  name: string;
  /** The full text of `regc NAME --help`. */
  help: string;
  flags: FlagTable;
  run(args: ParsedArgs, output: Output): Promise<ExitCode>;
}
