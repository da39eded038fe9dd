import { isAbsolute } from "node:path";

/** The folders an `allowData` list allows, and why any of its entries was ignored, one sentence each. */
export interface AllowedFolders {
  folders: string[];
  ignored: string[];
}

/** `allowData` of the initialization options: absolute folders only, since a server has no folder of its own to resolve against. */
export function initialAllowedFolders(options: unknown): AllowedFolders {
  return absoluteFolders(allowDataOf(options));
}

/**
 * The folders a `workspace/didChangeConfiguration` allows: its `reglang`
 * section's `allowData`, as VS Code sends its settings, or its own, as
 * the initialization options are read (Helix sends its server's options
 * again so). Undefined when its settings name no `allowData` (`{}`, null,
 * another tool's section): the folders allowed so far stay.
 */
export function configuredAllowedFolders(settings: unknown): AllowedFolders | undefined {
  const section = (settings as { reglang?: unknown } | null | undefined)?.reglang;
  const folders = allowDataOf(section) ?? allowDataOf(settings);
  return folders === undefined ? undefined : absoluteFolders(folders);
}

function allowDataOf(options: unknown): unknown {
  return typeof options === "object" && options !== null ? (options as { allowData?: unknown }).allowData : undefined;
}

function absoluteFolders(folders: unknown): AllowedFolders {
  if (folders === undefined) return { folders: [], ignored: [] };
  if (!Array.isArray(folders)) return { folders: [], ignored: [`allowData is ignored: it must be a list of absolute folders, such as ["/data/shared"], not ${JSON.stringify(folders)}.`] };
  const allowed = folders.filter((f): f is string => typeof f === "string" && isAbsolute(f));
  const ignored = folders.filter((f) => !allowed.includes(f)).map((f) =>
    typeof f === "string"
      ? `allowData: ${JSON.stringify(f)} is ignored: it is not an absolute path, and the server has no folder to resolve it against. Give the folder's absolute path.`
      : `allowData: ${JSON.stringify(f)} is ignored: each entry must be a folder's absolute path.`,
  );
  return { folders: allowed, ignored };
}
