import type * as tf from "@tensorflow/tfjs";
import { gaussianBlur, IMAGE_TRANSFORMS, smoothTangents, tangentNames, TANGENT_BLUR, type ImageTransform } from "./image-tangents.js";

/**
 * What `along` lists: geometric transforms of images, whose tangents are
 * computed from the image gradient, or tangents learned from data
 * (`manifold(…)`), which bring their own computation.
 */
export interface TangentField {
  /** As written in the spec, for messages: `manifold(cae, k: 10)`. */
  readonly label: string;
  /** Tangent vectors at each example of a batch [n, …], each [n, …]. */
  tangents(x: tf.Tensor): tf.Tensor[];
}

export type Along = ImageTransform | TangentField;

/** All of a clause's tangents, and the inputs they are tangent to: blurred images when image transforms are among them. */
export interface TangentFields extends TangentField {
  points(x: tf.Tensor): tf.Tensor;
}

/** Every `along` entry as one field: the image transforms together (they share one gradient), then the others. */
export function tangentFields(along: readonly Along[], inputShape: readonly number[], owner: string): TangentFields {
  const transforms = along.filter((entry): entry is ImageTransform => typeof entry === "string");
  const fields = along.filter((entry): entry is TangentField => typeof entry !== "string");
  for (const transform of transforms) {
    if (!(IMAGE_TRANSFORMS as readonly string[]).includes(transform)) {
      throw new Error(`${owner}: unknown transform ${transform} (known: ${IMAGE_TRANSFORMS.join(", ")})`);
    }
  }
  if (transforms.length > 0 && inputShape.length !== 3) {
    throw new Error(`${owner}: along ${transforms.join(", ")} needs image input [height, width, channels], but the model reads [${inputShape.join(", ")}]`);
  }
  const labels = [...(transforms.length > 0 ? [tangentNames(transforms).join(", ")] : []), ...fields.map((field) => field.label)];
  return {
    label: labels.join(", "),
    points: (x) => (transforms.length > 0 ? gaussianBlur(x as tf.Tensor4D, TANGENT_BLUR) : x),
    tangents: (x) => [...(transforms.length > 0 ? smoothTangents(x as tf.Tensor4D, transforms) : []), ...fields.flatMap((field) => field.tangents(x))],
  };
}
