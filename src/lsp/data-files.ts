import { dataPathCandidates } from "../compiler/sources/index.js";
import type { Program } from "../compiler/checker/program.js";

/**
 * The files a check of a spec read for its data sources, and where it
 * looked for those it did not find: a file created, changed or deleted at
 * any of them changes what the check says.
 */
export function dataFilesLookedAt(program: Program, specPath: string | undefined): string[] {
  return [...program.data.values()].flatMap(({ source }) => {
    const path = source && Object.values(source.values).find((value): value is string => typeof value === "string");
    return path === undefined ? [] : dataPathCandidates(path, specPath);
  });
}
