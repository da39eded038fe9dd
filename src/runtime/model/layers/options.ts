/** What every layer factory accepts besides its own arguments. */
export interface LayerOptions {
  /** The layer's name in the spec (`h1 = dense(…)`). */
  name?: string;
  /** The layer whose output it reads (`from t2`) instead of the previous one. */
  from?: string;
}

/** The `name` and `from` of a LayerDef, leaving out the ones not given. */
export function identity(options: LayerOptions): LayerOptions {
  const { name, from } = options;
  return { ...(name === undefined ? {} : { name }), ...(from === undefined ? {} : { from }) };
}
