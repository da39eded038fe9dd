import { isAbsolute, relative, resolve } from "node:path";
import { makeFolders } from "../shared/make-folders.js";
import { describeIoError } from "../shared/describe-io-error.js";
import { createStampedFolder } from "../shared/stamped-folder.js";
import { UsageError } from "./usage-error.js";

/**
 * A new experiment's folder (`NAME-DATE-TIME`) under `--out`, or under
 * `fallback` when it is not given: made before anything trains, so a path
 * that cannot hold it (a file, a read-only or kernel folder) is a usage
 * error naming the problem.
 */
export function newExperimentFolder(out: string | undefined, fallback: string, specName: string): string {
  const written = out ?? fallback;
  try {
    makeFolders(resolve(written));
    return createStampedFolder(resolve(written), specName);
  } catch (error) {
    throw new UsageError(`cannot use --out ${written}: ${describeIoError(error)}; give a folder you can write to (it is made if missing)`);
  }
}

/** A folder below the working directory as a relative path, as the user would type it. */
export function shownPath(folder: string): string {
  const below = relative(process.cwd(), folder);
  return below !== "" && !below.startsWith("..") && !isAbsolute(below) ? below : folder;
}
