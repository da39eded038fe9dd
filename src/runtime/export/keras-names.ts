/** The names TensorFlow.js gives a layer or weight: tfjs-layers' `isValidTensorName`. */
const TENSOR_NAME = /^[A-Za-z0-9][-A-Za-z0-9._/]*$/;

/**
 * The exported model's layer names, each the spec's name where TensorFlow.js
 * takes it. A spec name may start with `_`, a tensor name may not: such a
 * name is exported with a `0` before it (`_h1` as `0_h1`), and as no spec
 * name, nor one built from spec names, starts with a digit, two names never
 * become one. `renamed` records each, exported name → name as written.
 */
export class KerasNames {
  readonly renamed: Record<string, string> = {};

  of(name: string): string {
    if (TENSOR_NAME.test(name)) return name;
    const exported = `0${name}`;
    this.renamed[exported] = name;
    return exported;
  }
}
