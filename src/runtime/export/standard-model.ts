import * as tf from "@tensorflow/tfjs";
import type { OutputDescription, SamplingDescription } from "../../shared/model-metadata.js";
import { VOTE_TIE_BREAK } from "../ensemble/combine.js";
import type { Model } from "../model/model.js";
import type { Task } from "../train/tasks.js";
import { KerasNames } from "./keras-names.js";
import { ExportError, type PredictionPlan } from "./prediction-plan.js";

/** A LayersModel built from a trained model, and what its outputs are. */
export interface StandardModel {
  model: tf.LayersModel;
  outputs: OutputDescription[];
  dropoutLayers: SamplingDescription["dropoutLayers"];
  /** Layers exported under another name than the one built from the spec's, which TensorFlow.js refuses: exported name → that name. */
  renamed: Record<string, string>;
}

/** A Keras layer waiting for its weights: set once the LayersModel exists, from the values of one spec layer. */
interface PendingWeights {
  layer: tf.layers.Layer;
  names: readonly string[];
  values: () => Record<string, tf.Tensor>;
}

/**
 * Builds the stock TensorFlow.js model that predicts what the plan's
 * members predict at inference: each spec layer as its Keras twin, weights
 * copied in (tied parameters as the shared values), class outputs through
 * softmax, members (and snapshots) averaged — or, for a vote, each
 * member's probabilities side by side for the reader to count. Keras
 * layers keep the spec's layer keys, prefixed `mN_` (member) and `sN_`
 * (weight set) when there are several, and a `0` where the name would
 * start with `_` (see {@link KerasNames}).
 */
export function buildStandardModel(plan: PredictionPlan, tasks: readonly Task[], labels: (task: Task) => string[] | undefined): StandardModel {
  const first = plan.members[0]!.model;
  const kerasNames = new KerasNames();
  const input = tf.input({ shape: [...first.inputShape], name: kerasNames.of(`${first.name}_input`) });
  const pending: PendingWeights[] = [];
  const dropoutLayers: StandardModel["dropoutLayers"] = {};
  const several = plan.members.length > 1;
  const vote = several && plan.combine === "vote";

  // Each member's output per task: its weight sets averaged (snapshots).
  const memberOutputs = plan.members.map(({ model, sets }, m) => {
    const setOutputs = sets.map((weights, s) => {
      const prefix = `${several ? `m${m + 1}_` : ""}${sets.length > 1 ? `s${s + 1}_` : ""}`;
      const layers = applyLayers(model, input, prefix, weights, pending, dropoutLayers, kerasNames);
      return new Map(tasks.map((task) => [task.name, taskOutput(task, layers, model, prefix, kerasNames)]));
    });
    return new Map(tasks.map((task) => [task.name, combined(setOutputs.map((outputs) => outputs.get(task.name)!), "average", `${several ? `m${m + 1}_` : ""}${task.name}`, kerasNames)]));
  });

  const outputs: OutputDescription[] = [];
  const tensors: tf.SymbolicTensor[] = [];
  for (const task of tasks) {
    const each = memberOutputs.map((outputs) => outputs.get(task.name)!);
    const voted = vote && task.kind === "classify";
    tensors.push(combined(each, voted ? "concatenate" : "average", task.name, kerasNames));
    const shape = first.outputShapes.get(task.output === "output" ? first.outputLayer : task.output)!;
    const classes = labels(task);
    outputs.push({
      task: task.name,
      kind: task.kind,
      layer: task.output,
      target: task.target,
      values: task.kind !== "classify" ? "values" : voted ? "votes" : "probabilities",
      shape: voted ? [shape[0]! * plan.members.length] : [...shape],
      ...(classes && { labels: classes }),
      ...(voted && { members: plan.members.length, voteTieBreak: VOTE_TIE_BREAK }),
    });
  }

  const model = tf.model({ inputs: input, outputs: tensors, name: first.name });
  for (const { layer, names, values } of pending) {
    tf.tidy(() => {
      const byName = values();
      layer.setWeights(names.map((name) => byName[name]!));
    });
  }
  return { model, outputs, dropoutLayers, renamed: kerasNames.renamed };
}

/** Every spec layer's output in the symbolic graph, by key (and `output` for the last). */
function applyLayers(
  model: Model,
  input: tf.SymbolicTensor,
  prefix: string,
  weights: ReadonlyMap<string, tf.Tensor> | undefined,
  pending: PendingWeights[],
  dropoutLayers: StandardModel["dropoutLayers"],
  kerasNames: KerasNames,
): Map<string, tf.SymbolicTensor> {
  const outputs = new Map<string, tf.SymbolicTensor>();
  for (const { key, index, def, source } of model.layersInOrder()) {
    const name = kerasNames.of(prefix + key);
    const twin = def.standard?.(name);
    if (!twin) throw new ExportError(`layer \`${key}\` (${def.kind}) of model ${model.name} has no stock TensorFlow.js equivalent`);
    let y = source === undefined ? input : outputs.get(source)!;
    for (const layer of twin.layers) y = layer.apply(y) as tf.SymbolicTensor;
    outputs.set(key, y);
    if (twin.weights.length > 0) pending.push({ layer: twin.layers[0]!, names: twin.weights, values: () => model.layerValues(key, weights) });
    // Its position seeds Monte-Carlo masks as training's own passes do.
    if (twin.dropoutRate !== undefined) dropoutLayers[name] = { rate: twin.dropoutRate, position: index };
  }
  if (!outputs.has("output")) outputs.set("output", outputs.get(model.outputLayer)!);
  return outputs;
}

/** The tensor a task reads: class scores given as logits go through softmax, to be probabilities. */
function taskOutput(task: Task, layers: ReadonlyMap<string, tf.SymbolicTensor>, model: Model, prefix: string, kerasNames: KerasNames): tf.SymbolicTensor {
  const output = layers.get(task.output);
  if (!output) throw new ExportError(`task ${task.name} scores \`${task.output}\`, which is not a layer of model ${model.name}`);
  if (task.kind !== "classify" || task.fromLogits === false) return output;
  return tf.layers.activation({ activation: "softmax", name: kerasNames.of(`${prefix}${task.name}_probabilities`) }).apply(output) as tf.SymbolicTensor;
}

function combined(tensors: readonly tf.SymbolicTensor[], how: "average" | "concatenate", name: string, kerasNames: KerasNames): tf.SymbolicTensor {
  if (tensors.length === 1) return tensors[0]!;
  const layer = how === "average" ? tf.layers.average({ name: kerasNames.of(name) }) : tf.layers.concatenate({ axis: -1, name: kerasNames.of(name) });
  return layer.apply([...tensors]) as tf.SymbolicTensor;
}
