/**
 * A problem with the queue that the user can fix (a bad URL, a Redis that
 * cannot be reached or refuses the password, a data file too large to ship):
 * the command shows the message as it is and exits 2, without a stack trace.
 */
export class QueueError extends Error {
  override readonly name = "QueueError";
}

/** The connection to the queue dropped mid-experiment and did not come back: the experiment can be resumed once Redis answers. */
export class QueueConnectionLost extends QueueError {}
