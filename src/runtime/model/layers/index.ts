/** Every layer factory, named after the catalog's layer in camelCase: what the emitted code imports. */
export { activation } from "./activation.js";
export { batchNorm, type BatchNormOptions } from "./batch-norm.js";
export { conv2d, depthwiseConv2d, type ConvolutionOptions, type DepthwiseConv2dOptions, type KernelSize } from "./convolution.js";
export { dense, type DenseOptions } from "./dense.js";
export { dropout } from "./dropout.js";
export { embedding } from "./embedding.js";
export { gaussianNoise } from "./gaussian-noise.js";
export { globalAvgpool, globalMaxpool } from "./global-pooling.js";
export type { LayerOptions } from "./options.js";
export { avgpool, maxpool, type PoolOptions } from "./pooling.js";
export { flatten, reshape } from "./reshaping.js";
