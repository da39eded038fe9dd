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
  for (const { key, def, source } of model.layersInOrder()) {
    if (source !== undefined || def.idRows === undefined) continue;
    const last = def.idRows - 1;
    for (const split of Object.values(data.splits)) {
      const values = split.x.dataSync();
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
  const rows = model
    .layersInOrder()
    .filter(({ def, source }) => source === undefined && def.idRows !== undefined)
    .map(({ def }) => def.idRows!);
  return rows.length > 0 ? Math.min(...rows) : undefined;
}
