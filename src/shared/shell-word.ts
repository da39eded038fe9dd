/** A word of a command a message suggests, as a shell reads it: quoted when it holds anything but plain characters. */
export function shellWord(text: string): string {
  return /^[\w./:@+-]+$/.test(text) ? text : `'${text.replaceAll("'", "'\\''")}'`;
}
