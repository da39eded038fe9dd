import type { History } from "../runtime/run/history.js";

/**
 * The epochs a trial's run completed, read from its `history.json` (every
 * phase counted): fewer than it was given when it diverged, failed or
 * stopped early, none when it wrote no history. Bagging's members train side
 * by side, each to the same budget, so a bagged run counts its furthest member.
 */
export function epochsTrained(history: unknown): number {
  if (typeof history !== "object" || history === null) return 0;
  const { epochs, members } = history as Partial<History>;
  if (Array.isArray(members)) return Math.max(0, ...members.map((member) => (Array.isArray(member?.epochs) ? member.epochs.length : 0)));
  return Array.isArray(epochs) ? epochs.length : 0;
}
