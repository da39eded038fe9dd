import { isAbsolute } from "node:path";

/** `allowData` of the initialization options: absolute folders only, since a server has no folder of its own to resolve against. */
export function initialAllowedFolders(options: unknown): string[] {
  return absoluteFolders(allowDataOf(options));
}

/**
 * The folders a `workspace/didChangeConfiguration` allows: its `reglang`
 * section's `allowData`, as VS Code sends its settings, or its own, as
 * the initialization options are read (Helix sends its server's options
 * again so). Undefined when its settings name no `allowData` (`{}`, null,
 * another tool's section): the folders allowed so far stay.
 */
export function configuredAllowedFolders(settings: unknown): string[] | undefined {
  const section = (settings as { reglang?: unknown } | null | undefined)?.reglang;
  const folders = allowDataOf(section) ?? allowDataOf(settings);
  return folders === undefined ? undefined : absoluteFolders(folders);
}

function allowDataOf(options: unknown): unknown {
  return typeof options === "object" && options !== null ? (options as { allowData?: unknown }).allowData : undefined;
}

function absoluteFolders(folders: unknown): string[] {
  return Array.isArray(folders) ? folders.filter((f): f is string => typeof f === "string" && isAbsolute(f)) : [];
}
