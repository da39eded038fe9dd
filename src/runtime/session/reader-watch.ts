/**
 * A run whose reader went away (`regc run spec | head`, a closed terminal)
 * stops after its step with a checkpoint, as when its parent ends, instead
 * of dying at the next line it prints (EPIPE) without its model; what it
 * would print from then on is dropped. The listeners stay for the life of
 * the process: a write after the pipe closed fails again.
 */
export function watchReaders(readersGone: () => void): void {
  let gone = false;
  const onError = (error: NodeJS.ErrnoException) => {
    if (gone) return;
    if (error.code !== "EPIPE") throw error;
    gone = true;
    readersGone();
  };
  for (const stream of [process.stdout, process.stderr]) stream.on("error", onError);
}
