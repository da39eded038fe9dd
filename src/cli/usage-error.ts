/**
 * A mistake in how regc was called, or a file it cannot read: shown as one
 * `regc: error: …` line, never with a stack trace, and exits with code 2.
 */
export class UsageError extends Error {
  override readonly name = "UsageError";
}
