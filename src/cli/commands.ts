import { ablateCommand } from "./ablate.js";
import { checkCommand } from "./check.js";
import type { Command } from "./command.js";
import { compileCommand } from "./compile.js";
import { explainCommand } from "./explain.js";
import { exportCommand } from "./export.js";
import { fmtCommand } from "./fmt.js";
import { lspCommand } from "./lsp.js";
import { predictCommand } from "./predict.js";
import { runCommand } from "./run.js";
import { tuneCommand } from "./tune.js";
import { workerCommand } from "./worker.js";

/** Every `regc` command, in the order `regc --help` lists them. */
export const COMMANDS: readonly Command[] = [checkCommand, compileCommand, runCommand, exportCommand, predictCommand, fmtCommand, explainCommand, lspCommand, ablateCommand, tuneCommand, workerCommand];
