import * as tf from "@tensorflow/tfjs";
import type { InputDescription } from "../../shared/model-metadata.js";
import { DataError, type Dataset, type DataSpec, type DataSplit, type TargetInfo } from "./dataset.js";
import { imageBackground } from "./background.js";
import type { Examples } from "./examples.js";
import { fillWithTrainMeans } from "./fill.js";
import { mnistExamples } from "./mnist.js";
import { fitFeatureMap, gatherRows, type FeatureMap } from "./normalize.js";
import { assignRows, splitSizes } from "./splits.js";
import { tableExamples } from "./table.js";

/** The split that statistics (normalization, `missing mean`, `inputRange`) come from. */
const TRAIN = "train";
/** A split whose rows are used without their targets (semi-supervised terms). */
const UNLABELED = "unlabeled";

/**
 * Reads a data block's source and turns it into tensors, one per split and
 * target. A problem with the file or its values is a {@link DataError}
 * naming the file, column and row.
 */
export async function loadData(spec: DataSpec): Promise<Dataset> {
  const examples = spec.source.kind === "mnist" ? await mnistExamples(spec) : await tableExamples(spec, spec.source);
  if (!(TRAIN in spec.split)) throw new DataError(`data \`${spec.name}\` has no \`${TRAIN}\` split`);
  const sizes = splitSizes(spec.split, examples.rows, examples.label);
  const rows = assignRows(sizes, examples.rows, spec.seed);
  const trainRows = rows.get(TRAIN)!;
  const fill = spec.missing === "mean" && examples.kind === "table" ? fillWithTrainMeans(examples, trainRows) : undefined;
  const channels = examples.inputShape[examples.inputShape.length - 1] ?? 1;
  const groupOf = examples.kind === "image" ? (f: number) => f % channels : (f: number) => f;
  const map = fitFeatureMap(examples.x, examples.width, trainRows, spec.normalize, groupOf);

  const splits: Record<string, DataSplit> = {};
  let trainX: Float32Array | undefined;
  try {
    for (const [name, picked] of rows) {
      const x = gatherRows(examples.x, examples.width, picked, map);
      if (name === TRAIN) trainX = x;
      const targets = name === UNLABELED ? {} : targetTensors(examples, picked);
      splits[name] = { name, rows: picked.length, x: tf.tensor(x, [picked.length, ...examples.inputShape], "float32"), targets };
    }
  } catch (error) {
    // Only a failing backend gets here; free what was already made rather than leak it.
    for (const split of Object.values(splits)) tf.dispose([split.x, ...Object.values(split.targets)]);
    throw error;
  }
  return {
    name: spec.name,
    kind: examples.kind,
    inputShape: examples.inputShape,
    inputRange: examples.kind === "image" ? pixelRange(map) : valueRange(trainX!),
    targets: targetInfos(spec, examples),
    splits,
    preprocessing: describeInput(spec, examples, map, channels, fill, trainRows),
  };
}

/** What prediction must do to a raw example to give the model what training gave it. */
function describeInput(spec: DataSpec, examples: Examples, map: FeatureMap, channels: number, fill: number[] | undefined, trainRows: Int32Array): InputDescription {
  // Images share statistics per channel: the first pixel's features hold each channel's.
  const groups = examples.kind === "image" ? channels : examples.width;
  return {
    kind: examples.kind,
    shape: [...examples.inputShape],
    ...(examples.kind === "table" && { features: Array.from({ length: examples.width }, (_, f) => examples.featureName(f)) }),
    ...(spec.normalize && { normalize: { mode: spec.normalize, shift: Array.from(map.shift.slice(0, groups)), scale: Array.from(map.scale.slice(0, groups)) } }),
    missing: spec.missing === undefined || spec.missing === "error" ? "refuse" : spec.missing,
    ...(fill && { fill }),
    ...(examples.kind === "image" && { pixelRange: [0, 1] as [number, number], background: imageBackground(examples, trainRows) }),
  };
}

function targetTensors(examples: Examples, picked: Int32Array): Record<string, tf.Tensor> {
  const tensors: Record<string, tf.Tensor> = {};
  for (const [name, { info, values }] of examples.targets) {
    if (info.kind === "class") tensors[name] = tf.tensor1d(Int32Array.from(picked, (row) => values[row]!), "int32");
    else tensors[name] = tf.tensor2d(Float32Array.from(picked, (row) => values[row]!), [picked.length, 1], "float32");
  }
  return tensors;
}

function targetInfos(spec: DataSpec, examples: Examples): Record<string, TargetInfo> {
  const infos: Record<string, TargetInfo> = {};
  for (const target of spec.targets) infos[target.name] = examples.targets.get(target.name)?.info ?? { kind: "self" };
  return infos;
}

/** Pixels lie in [0, 1] whatever the sample; mapped, the ends move with the map (per channel, the widest). */
function pixelRange(map: FeatureMap): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  map.shift.forEach((shift, f) => {
    const ends = [(0 - shift) * map.scale[f]!, (1 - shift) * map.scale[f]!];
    low = Math.min(low, ...ends);
    high = Math.max(high, ...ends);
  });
  return [low, high];
}

function valueRange(values: Float32Array): [number, number] {
  let low = Infinity;
  let high = -Infinity;
  for (const v of values) {
    if (v < low) low = v;
    if (v > high) high = v;
  }
  return [low, high];
}
