import type { FlagSpec } from "./args.js";
import { BACKEND_REQUESTS } from "../runtime/backend/select.js";
import { UsageError } from "./usage-error.js";

/** `--backend` as the commands that compute take it: a backend's name, or `tensorflow` for either native binding. */
export const BACKEND_FLAG: FlagSpec = { kind: "choice", choices: BACKEND_REQUESTS };

/** Activates the backend `--backend` asks for; one that cannot start here is a usage error saying why, as `regc run` says it. */
export async function useBackend(requested: string | undefined): Promise<void> {
  const { BackendUnavailableError, selectBackend } = await import("../runtime/backend/select.js");
  try {
    await selectBackend(requested);
  } catch (error) {
    if (error instanceof BackendUnavailableError) throw new UsageError(error.message);
    throw error;
  }
}
