import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { BROWSER_BUNDLE } from "./export-folder.js";

/** Every file `regc export` writes. */
const EXPORT_FILES = new Set(["model.json", "weights.bin", "README.md", BROWSER_BUNDLE, "index.html"]);

/** Names shown in a message before the rest are counted. */
const NAMES_SHOWN = 4;

/**
 * Why an export must not be written into `target` (`shown` as the user
 * wrote it): the folder holds files no earlier export wrote, which the
 * export's files would mix with or replace. Undefined for a folder that is
 * missing, empty, or holds an earlier export (a model.json with reglang's
 * metadata), whose files an export replaces.
 */
export function foreignFilesProblem(target: string, shown: string): string | undefined {
  let entries: string[];
  try {
    entries = readdirSync(target).sort();
  } catch {
    // Missing, or not a folder: making or writing it says what is wrong.
    return undefined;
  }
  if (entries.length === 0 || holdsExport(target)) return undefined;
  const replaced = entries.filter((entry) => EXPORT_FILES.has(entry));
  const overwrite = replaced.length === 0 ? "" : `, and the export would write over ${replaced.length === entries.length ? "them" : listed(replaced)}`;
  return `cannot write the export to ${shown}: it holds ${listed(entries)}, which no earlier export wrote${overwrite}; give -o a new or empty folder, or add --force to write there anyway`;
}

function holdsExport(folder: string): boolean {
  try {
    const json = JSON.parse(readFileSync(join(folder, "model.json"), "utf8")) as { userDefinedMetadata?: { reglang?: unknown } } | null;
    return typeof json?.userDefinedMetadata?.reglang === "object" && json.userDefinedMetadata.reglang !== null;
  } catch {
    return false;
  }
}

function listed(names: readonly string[]): string {
  const shown = names.slice(0, NAMES_SHOWN).join(", ");
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}
