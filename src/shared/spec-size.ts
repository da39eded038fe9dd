/**
 * The largest spec, in bytes as stored: `regc` refuses to read a bigger one,
 * and the language server does not analyse one, so that an editor and CI
 * agree. A thousand times the largest example, and a bound on what a wrong
 * path (`/dev/zero`) or a spec of junk can cost (each line of junk is a
 * diagnostic: 16 MB of them took minutes and gigabytes).
 */
export const SPEC_BYTE_LIMIT = 1024 * 1024;

/** The limit in words: "1 MB". */
export const SPEC_SIZE_LIMIT_TEXT = `${SPEC_BYTE_LIMIT / 1024 ** 2} MB`;

/** The size of a spec's text in bytes as stored in UTF-8, the measure of {@link SPEC_BYTE_LIMIT}. */
export function specBytes(text: string): number {
  // Never fewer bytes than UTF-16 units: past the limit in units, no need to count.
  return text.length > SPEC_BYTE_LIMIT ? text.length : Buffer.byteLength(text, "utf8");
}
