import { DataError, type Dataset } from "../data/dataset.js";
import type { Model } from "../model/model.js";

/**
 * An embedding of the model's input looks its values up as rows of its
 * table: every example of every split must hold whole numbers in
 * 0 … rows − 1. `regc check` holds the data file's columns to that; this
 * holds the data a program trains on to it too, so data changed since the
 * check is a DataError naming the split, example and feature rather than a
 * failure inside the lookup.
 */
export function checkInputIds(model: Model, data: Dataset): void {
  const embeddings = inputEmbeddings(model);
  if (embeddings.length === 0) return;
  // Each split's values are read once, whatever the number of embeddings.
  const splits = Object.values(data.splits).map((split) => ({ split, values: split.x.dataSync() }));
  for (const { key, rows } of embeddings) {
    const last = rows - 1;
    for (const { split, values } of splits) {
      const width = split.rows > 0 ? values.length / split.rows : 1;
      const bad = values.findIndex((id) => !Number.isInteger(id) || id < 0 || id > last);
      if (bad < 0) continue;
      const feature = data.preprocessing.features?.[bad % width];
      const where = `split \`${split.name}\`, example ${Math.floor(bad / width) + 1}${feature === undefined ? "" : `, feature \`${feature}\``}`;
      throw new DataError(`${where}: ${values[bad]} is not an id of \`${key}\`, whose table has rows 0…${last}; ids are whole numbers, not normalized`);
    }
  }
}

/** The rows of the smallest table an embedding of the model's input looks its values up in; undefined when none reads the input. */
export function inputIdRows(model: Model): number | undefined {
  const rows = inputEmbeddings(model).map((embedding) => embedding.rows);
  return rows.length > 0 ? Math.min(...rows) : undefined;
}

/** The embeddings that read the model's input, in layer order: their keys and table rows. */
function inputEmbeddings(model: Model): Array<{ key: string; rows: number }> {
  return model.layersInOrder().flatMap(({ key, def, source }) => (source === undefined && def.idRows !== undefined ? [{ key, rows: def.idRows }] : []));
}
