/** An input the model cannot read: names the row (or image) and column, and what the model expects. */
export class InputError extends Error {
  override readonly name = "InputError";
}
