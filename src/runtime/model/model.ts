import * as tf from "@tensorflow/tfjs";
import { deriveSeed } from "../random.js";
import { initialValue } from "./initializers.js";
import type { ForwardOptions, LayerBuild, LayerDef, VariableSpec } from "./layer.js";
import { shapeText } from "./layers/shapes.js";
import { resolveTies, type SharedParam, type Tie } from "./ties.js";

/** A layer placed in a model: its key, where its input comes from, its variables by parameter name. */
interface PlacedLayer {
  def: LayerDef;
  key: string;
  /** Position in the model, which seeds the layer's randomness. */
  index: number;
  /** The key of the layer it reads; undefined for the model's input. */
  source: string | undefined;
  params: Record<string, tf.Variable>;
  /** Parameters tied to another layer's variable (§7.9), by parameter name. */
  shared: Record<string, SharedParam>;
  state: Record<string, tf.Variable>;
}

export interface ModelOptions {
  /** Hard ties (`tie(dec.kernel, transpose(enc.kernel))`): each tied parameter uses another's variable instead of its own. */
  ties?: readonly Tie[];
}

/** Every layer's output, by layer key, and the last layer's as `output`. */
export interface ForwardResult {
  output: tf.Tensor;
  layers: ReadonlyMap<string, tf.Tensor>;
}

/** Models alive at once (bagging members, a retrained copy) each need their own tfjs variable names. */
let modelsCreated = 0;

/**
 * A model's variables and forward pass. Layers are keyed by their spec name,
 * or `<kind>_<index>` (index: 0-based position in the model) when unnamed;
 * parameters and state by `LAYER.PARAM`. A tied parameter has no variable
 * of its own and is not in `params`: the trained model has fewer.
 */
export class Model {
  readonly params: ReadonlyMap<string, tf.Variable>;
  /** Non-trainable variables: batch norm's moving averages. */
  readonly state: ReadonlyMap<string, tf.Variable>;
  readonly outputShapes: ReadonlyMap<string, readonly number[]>;
  /** Number of trainable values; tied parameters count once. */
  readonly paramCount: number;
  private readonly placed: readonly PlacedLayer[];
  /** Layers in an order where each comes after the layer it reads (`from` may name a later layer). */
  private readonly evaluationOrder: readonly PlacedLayer[];
  private readonly inits = new Map<string, VariableSpec>();

  constructor(
    readonly name: string,
    readonly inputShape: readonly number[],
    layers: readonly LayerDef[],
    seed: number,
    options: ModelOptions = {},
  ) {
    if (layers.length === 0) throw new Error(`model ${name} has no layers`);
    this.placed = placeLayers(name, layers);
    this.evaluationOrder = evaluationOrder(name, this.placed);
    const builds = new Map<PlacedLayer, LayerBuild>();
    const shapes = new Map<string, readonly number[]>();
    for (const layer of this.evaluationOrder) {
      const built = buildLayer(layer, layer.source === undefined ? inputShape : shapes.get(layer.source)!);
      builds.set(layer, built);
      shapes.set(layer.key, built.outputShape);
    }
    this.outputShapes = new Map(this.placed.map((layer) => [layer.key, shapes.get(layer.key)!]));
    const paramShapes = new Map(this.placed.flatMap((layer) => Object.entries(builds.get(layer)!.params ?? {}).map(([name, spec]) => [`${layer.key}.${name}`, spec.shape] as const)));
    const shared = resolveTies(options.ties ?? [], paramShapes, name);

    const prefix = `${name}_${modelsCreated++}/`;
    const params = new Map<string, tf.Variable>();
    const state = new Map<string, tf.Variable>();
    const create = (layer: PlacedLayer, specs: LayerBuild["params"], trainable: boolean) => {
      for (const [paramName, spec] of Object.entries(specs ?? {})) {
        const key = `${layer.key}.${paramName}`;
        const tiedTo = trainable ? shared.get(key) : undefined;
        if (tiedTo) {
          layer.shared[paramName] = tiedTo;
          continue;
        }
        this.inits.set(key, spec);
        const value = initialValue(spec.shape, spec.init, deriveSeed(seed, "init", key));
        const variable = tf.variable(value, trainable, prefix + key);
        value.dispose();
        (trainable ? layer.params : layer.state)[paramName] = variable;
        (trainable ? params : state).set(key, variable);
      }
    };
    for (const layer of this.placed) {
      create(layer, builds.get(layer)!.params, true);
      create(layer, builds.get(layer)!.state, false);
    }
    this.params = params;
    this.state = state;
    this.paramCount = [...params.values()].reduce((sum, variable) => sum + variable.size, 0);
  }

  /** The key of the last layer, whose output is the model's (`MODEL.output`). */
  get outputLayer(): string {
    return this.placed[this.placed.length - 1]!.key;
  }

  /** A layer's definition and the key of the layer it reads (undefined: the model's input). */
  layer(key: string): { def: LayerDef; source: string | undefined } | undefined {
    const placed = this.placed.find((layer) => layer.key === key);
    return placed && { def: placed.def, source: placed.source };
  }

  /** Every layer in an order where each comes after the layer it reads: its key, position, definition and source (undefined: the input). */
  layersInOrder(): Array<{ key: string; index: number; def: LayerDef; source: string | undefined }> {
    return this.evaluationOrder.map(({ key, index, def, source }) => ({ key, index, def, source }));
  }

  /**
   * A layer's parameters and state by name, as a prediction uses them: a
   * tied parameter is its source's value (transposed where the tie says).
   * `weights` (by `LAYER.PARAM`, a snapshot's, say) replace the variables.
   * Call inside tf.tidy: transposes are new tensors.
   */
  layerValues(key: string, weights?: ReadonlyMap<string, tf.Tensor>): Record<string, tf.Tensor> {
    const layer = this.placed.find((placed) => placed.key === key);
    if (!layer) throw new Error(`model ${this.name} has no layer ${key}`);
    const value = (param: string) => weights?.get(param) ?? this.params.get(param) ?? this.state.get(param)!;
    const values: Record<string, tf.Tensor> = {};
    for (const name of [...Object.keys(layer.params), ...Object.keys(layer.state)]) values[name] = value(`${key}.${name}`);
    for (const [name, { source, transposed }] of Object.entries(layer.shared)) values[name] = transposed ? tf.transpose(value(source)) : value(source);
    return values;
  }

  /** The variables an optimizer updates: every parameter, none of the state. */
  trainableParams(): tf.Variable[] {
    return [...this.params.values()];
  }

  /**
   * Runs the model on a batch [n, …inputShape]. Call it inside tf.tidy (or
   * a gradient tape): its intermediate tensors are not disposed here, and
   * a layer that is the identity in this pass returns its input itself.
   * tf.tidy does not look inside Maps: to keep a layer's output past the
   * tidy, return that tensor, not `layers`.
   */
  forward(x: tf.Tensor, options: ForwardOptions): ForwardResult {
    const given = x.shape.slice(1);
    if (given.length !== this.inputShape.length || given.some((n, i) => n !== this.inputShape[i])) {
      throw new Error(`model ${this.name} expects inputs of shape ${shapeText(this.inputShape)}, got ${shapeText(given)}`);
    }
    const outputs = new Map<string, tf.Tensor>();
    for (const layer of this.evaluationOrder) {
      const input = layer.source === undefined ? x : outputs.get(layer.source)!;
      const params: Record<string, tf.Tensor> = { ...layer.params };
      for (const paramName of Object.keys(params)) {
        const replacement = options.params?.get(`${layer.key}.${paramName}`);
        if (replacement !== undefined) params[paramName] = replacement;
      }
      for (const [paramName, { source, transposed }] of Object.entries(layer.shared)) {
        // The source as this pass sees it (perturbed by weight noise, say): one variable, one value.
        const value = options.params?.get(source) ?? this.params.get(source)!;
        params[paramName] = transposed ? tf.transpose(value) : value;
      }
      const seed = deriveSeed(options.seed, "layer", layer.index);
      outputs.set(layer.key, layer.def.apply(input, { params, state: layer.state, options, seed }));
    }
    const layers = new Map(this.placed.map((layer) => [layer.key, outputs.get(layer.key)!]));
    const output = outputs.get(this.placed[this.placed.length - 1]!.key)!;
    // `MODEL.output` in a spec names the last layer, whatever its key.
    if (!layers.has("output")) layers.set("output", output);
    return { output, layers };
  }

  /** Fresh initial values in place (retraining), as a new model with this seed would have; the state is reset too. */
  reinitialize(seed: number): void {
    for (const [key, variable] of [...this.params, ...this.state]) {
      const spec = this.inits.get(key)!;
      tf.tidy(() => variable.assign(initialValue(spec.shape, spec.init, deriveSeed(seed, "init", key))));
    }
  }

  /** Frees every variable (and its tfjs name). */
  dispose(): void {
    for (const variable of [...this.params.values(), ...this.state.values()]) variable.dispose();
  }
}

/** Keys every layer and resolves its source; throws on a duplicate name or an unknown `from`. */
function placeLayers(modelName: string, layers: readonly LayerDef[]): PlacedLayer[] {
  const keys = layers.map((def, index) => def.name ?? `${def.kind}_${index}`);
  const known = new Set<string>();
  for (const key of keys) {
    if (known.has(key)) throw new Error(`model ${modelName} has two layers named "${key}"`);
    known.add(key);
  }
  return layers.map((def, index) => {
    if (def.from !== undefined && !known.has(def.from)) {
      throw new Error(
        `layer ${keys[index]} of model ${modelName} reads from "${def.from}", which is not a layer of it (layers: ${keys.join(", ")})`,
      );
    }
    const source = def.from ?? (index === 0 ? undefined : keys[index - 1]);
    return { def, key: keys[index]!, index, source, params: {}, shared: {}, state: {} };
  });
}

/** Sources before the layers that read them; throws on a cycle of `from`s. */
function evaluationOrder(modelName: string, layers: readonly PlacedLayer[]): PlacedLayer[] {
  const byKey = new Map(layers.map((layer) => [layer.key, layer]));
  const order: PlacedLayer[] = [];
  const done = new Set<PlacedLayer>();
  for (const start of layers) {
    const chain: PlacedLayer[] = [];
    let current: PlacedLayer | undefined = start;
    while (current !== undefined && !done.has(current)) {
      if (chain.includes(current)) {
        const cycle = [...chain.slice(chain.indexOf(current)), current].map((layer) => layer.key).join(" → ");
        throw new Error(`model ${modelName} has a cycle of from clauses: ${cycle}`);
      }
      chain.push(current);
      current = current.source === undefined ? undefined : byKey.get(current.source);
    }
    for (const layer of chain.reverse()) {
      done.add(layer);
      order.push(layer);
    }
  }
  return order;
}

/** The layer's build, with errors saying which layer. */
function buildLayer(layer: PlacedLayer, input: readonly number[]): LayerBuild {
  try {
    return layer.def.build(input);
  } catch (error) {
    throw new Error(`layer ${layer.key}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
