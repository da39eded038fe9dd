import { mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Makes `ROOT/NAME-YYYYMMDD-HHMMSS` (local time, as the person who started
 * it reads their clock), with `-2`, `-3`, … when that exists, and returns
 * it: a run or an experiment never writes into another's folder. `root`
 * exists. A name is user text: it is kept to one safe path segment.
 */
export function createStampedFolder(root: string, name: string, now: Date = new Date()): string {
  const base = `${name.replace(/[^\w.-]+/g, "_")}-${timestamp(now)}`;
  for (let n = 1; ; n++) {
    const folder = join(root, n === 1 ? base : `${base}-${n}`);
    try {
      // Not recursive: fails if the folder exists, even when another process made it a moment ago.
      mkdirSync(folder);
      return folder;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
}

function timestamp(date: Date): string {
  const two = (value: number) => String(value).padStart(2, "0");
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${day}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}
