import * as tf from "@tensorflow/tfjs";
import type { SamplingDescription } from "../shared/model-metadata.js";
import { rowDropout } from "../runtime/model/layers/row-dropout.js";
import { deriveSeed } from "../runtime/random.js";

/**
 * One Monte-Carlo dropout pass through a LayersModel: every layer as at
 * inference, except the listed dropout layers, which drop with masks seeded
 * as training's own Monte-Carlo predictions seed them (pass, then the
 * layer's position in the spec's model, then each row's key, `rowKeys` of
 * its input), so a pass is reproducible and a row's masks its own.
 */
export function samplingPass(model: tf.LayersModel, x: tf.Tensor, sampling: SamplingDescription, pass: number, keys: Uint32Array): tf.Tensor[] {
  return tf.tidy(() => {
    const passSeed = deriveSeed(0, "mc_dropout", pass);
    const outputs = new Map<string, tf.Tensor>();
    // A functional model lists its layers so that each comes after the layers it reads.
    for (const layer of model.layers) {
      const inbound = layer.inboundNodes[0]?.inboundLayers ?? [];
      if (inbound.length === 0) {
        outputs.set(layer.name, x);
        continue;
      }
      const inputs = inbound.map((source) => outputs.get(source.name)!);
      const dropout = sampling.dropoutLayers[layer.name];
      const output = dropout
        ? rowDropout(inputs[0]!, dropout.rate, deriveSeed(passSeed, "layer", dropout.position), keys)
        : (layer.apply(inputs.length === 1 ? inputs[0]! : inputs) as tf.Tensor);
      outputs.set(layer.name, output);
    }
    return model.outputs.map((symbolic) => outputs.get(symbolic.sourceLayer.name)!);
  });
}
