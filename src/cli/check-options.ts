import { statSync } from "node:fs";
import { delimiter, resolve } from "node:path";
import type { CheckOptions } from "../compiler/index.js";
import { DEFAULT_MEMORY_BUDGET } from "../compiler/catalog/limits.js";
import { formatBytes, parseBytes } from "../compiler/checker/memory.js";
import type { FlagTable, ParsedArgs } from "./args.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { UsageError } from "./usage-error.js";

/** The options of every command that checks a spec and so reads its data: `check`, `compile`, `run`. */
export const CHECK_FLAGS: FlagTable = {
  "--allow-data": { kind: "value", meaning: `a folder data may be read from, outside the spec's project (several joined by \`${delimiter}\`)` },
  "--memory-budget": { kind: "value", meaning: "a size such as 4GB or 512MB" },
};

/**
 * Those flags' lines in the commands' help; built on demand, since the
 * budget's number formatting loads ICU's locale data (~20 ms of a start).
 */
export const checkFlagsHelp = (): string => `  --allow-data FOLDER        let data files be read from FOLDER too (several
                             joined by \`${delimiter}\`); otherwise a spec reads only files
                             inside its project or an installed package
  --memory-budget SIZE       the most memory training may need (default
                             ${formatBytes(DEFAULT_MEMORY_BUDGET)}): a larger model is an error (REG3008)`;

/** What those flags ask of the checker; a folder that is not one, or a size that is not one, is a usage error. */
export function checkOptionsOf(args: ParsedArgs): Pick<CheckOptions, "dataAccess" | "memoryBudget"> {
  const options: Pick<CheckOptions, "dataAccess" | "memoryBudget"> = {};
  const allowed = args.values.get("--allow-data");
  if (allowed !== undefined) options.dataAccess = { allowedFolders: allowed.split(delimiter).map(allowedFolder) };
  const budget = args.values.get("--memory-budget");
  if (budget !== undefined) {
    const bytes = parseBytes(budget);
    if (bytes === undefined) throw new UsageError(`--memory-budget needs a size such as 4GB, 512MB or 1.5G, not \`${budget}\``);
    options.memoryBudget = bytes;
  }
  return options;
}

function allowedFolder(folder: string): string {
  if (folder === "") throw new UsageError("--allow-data needs a folder, not an empty name");
  try {
    if (!statSync(folder).isDirectory()) throw new UsageError(`--allow-data ${folder}: it is a file; give the folder data may be read from`);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    throw new UsageError(`--allow-data ${folder}: ${describeIoError(error)}; give an existing folder data may be read from`);
  }
  return resolve(folder);
}
