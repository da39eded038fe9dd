import { STOP_WITH_PARENT } from "../../shared/stop-with-parent.js";

/**
 * A run started by another process over an IPC channel (a bagging member's
 * worker, an experiment's trial) with {@link STOP_WITH_PARENT} set watches
 * that channel: it closes when the parent ends, even by SIGKILL, and the
 * run then stops after its step rather than train on for no one. Writes to
 * the parent's pipes would now fail; they are dropped instead of ending
 * the process before its checkpoint.
 */
export function watchParent(parentGone: () => void): void {
  const channel = process.channel;
  if (!channel || process.env[STOP_WITH_PARENT] !== "1") return;
  // The channel is only watched: it must not keep a finished run's process alive.
  channel.unref();
  const onGone = () => {
    for (const stream of [process.stdout, process.stderr]) stream.on("error", () => {});
    parentGone();
  };
  if (!process.connected) onGone();
  else process.once("disconnect", onGone);
}
