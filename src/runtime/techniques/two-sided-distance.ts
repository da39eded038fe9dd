import * as tf from "@tensorflow/tfjs";

/** Examples flattened to [n, d] with m tangent vectors each, [n, m, d]. */
export interface TangentSet {
  x: tf.Tensor2D;
  tangents: tf.Tensor3D;
}

/**
 * Squared two-sided tangent distances (Simard, LeCun & Denker 1993) from
 * queries to a fixed set of references:
 *
 *   d²(x, y) = min over a, b of ‖(x + Tₓa) − (y + T_y b)‖² + κ·(‖a‖² + ‖b‖²)
 *            = ‖e‖² − sᵀ(TᵀT + κI)⁻¹s,   e = x − y, T = [Tₓ, −T_y], s = Tᵀe,
 *
 * the least-squares problem over both tangent planes, solved per pair. The
 * small spring κ (a multiple `spring` of the pair's mean squared tangent
 * norm) keeps it well posed when tangents are nearly parallel or vanish (a
 * blank image has none). Every inner product a pair needs (x·y, Tₓ·y,
 * T_y·x, Tₓ·T_y) comes from one matrix product of the stacked [x; Tₓ]
 * rows with the stacked [y; T_y] rows; the (2m)×(2m) solves run here, one
 * Cholesky factorization each.
 */
export class TangentReferences {
  readonly count: number;
  readonly tangentCount: number;
  private readonly size: number;
  /** [d, n·(m+1)]: the references' stacked rows, transposed once (tfjs's wasm matMul is far slower with transposeB). */
  private readonly columns: tf.Tensor2D;
  /** Per reference, the (m+1)×(m+1) Gram matrix of [y; T_y]. */
  private readonly grams: Float32Array;

  constructor(references: TangentSet) {
    [this.count, this.tangentCount, this.size] = references.tangents.shape;
    const stacked = stack(references);
    this.columns = tf.tidy(() => tf.transpose(tf.reshape(stacked, [-1, this.size])) as tf.Tensor2D);
    this.grams = grams(stacked);
    stacked.dispose();
  }

  /** Squared tangent and Euclidean distances, [queries][references] row-major. */
  distances(queries: TangentSet, spring: number): { tangent: Float64Array; euclidean: Float64Array } {
    const [nq, m, d] = queries.tangents.shape;
    if (m !== this.tangentCount || d !== this.size) throw new Error("tangent distance: queries and references need the same tangents and size");
    const nr = this.count;
    const k = m + 1;
    const stacked = stack(queries);
    const queryGrams = grams(stacked);
    // products[((q·k + i)·nr + r)·k + j] = row i of [x_q; T_q] · row j of [y_r; T_r], row 0 being the image.
    const products = readAndDispose(tf.tidy(() => tf.matMul(tf.reshape(stacked, [nq * k, d]) as tf.Tensor2D, this.columns)));
    stacked.dispose();
    const size = 2 * m;
    const a = new Float64Array(size * size);
    const s = new Float64Array(size);
    const z = new Float64Array(size);
    const tangent = new Float64Array(nq * nr);
    const euclidean = new Float64Array(nq * nr);
    const referenceGrams = this.grams;
    for (let q = 0; q < nq; q++) {
      const qg = q * k * k;
      for (let r = 0; r < nr; r++) {
        const rg = r * k * k;
        // Row i of [x; Tₓ] times row j of [y; T_y]: products[row(i) + col(j)].
        const row = (i: number) => ((q * k + i) * nr + r) * k;
        const e2 = Math.max(queryGrams[qg]! + referenceGrams[rg]! - 2 * products[row(0)]!, 0);
        euclidean[q * nr + r] = e2;
        // TᵀT = [[TₓTₓᵀ, −TₓT_yᵀ], [−T_yTₓᵀ, T_yT_yᵀ]];  s = [Tₓ·x − Tₓ·y, T_y·y − T_y·x].
        let trace = 0;
        for (let i = 0; i < m; i++) {
          const rowI = row(i + 1);
          for (let j = 0; j < m; j++) {
            a[i * size + j] = queryGrams[qg + (i + 1) * k + j + 1]!;
            a[(m + i) * size + m + j] = referenceGrams[rg + (i + 1) * k + j + 1]!;
            const c = products[rowI + j + 1]!;
            a[i * size + m + j] = -c;
            a[(m + j) * size + i] = -c;
          }
          trace += a[i * size + i]! + a[(m + i) * size + m + i]!;
          s[i] = queryGrams[qg + (i + 1) * k]! - products[rowI]!;
          s[m + i] = referenceGrams[rg + (i + 1) * k]! - products[row(0) + i + 1]!;
        }
        const kappa = spring * (trace / size) + 1e-12;
        for (let i = 0; i < size; i++) a[i * size + i]! += kappa;
        tangent[q * nr + r] = Math.max(e2 - quadraticInverse(a, s, size, z), 0);
      }
    }
    return { tangent, euclidean };
  }

  dispose(): void {
    this.columns.dispose();
  }
}

/** [n, m+1, d]: each example's image row followed by its tangent rows. */
function stack(set: TangentSet): tf.Tensor3D {
  return tf.tidy(() => tf.concat([tf.expandDims(set.x, 1), set.tangents], 1) as tf.Tensor3D);
}

/** Per example, the Gram matrix of its stacked rows, [n, m+1, m+1] flat. */
function grams(stacked: tf.Tensor3D): Float32Array {
  return readAndDispose(tf.tidy(() => tf.matMul(stacked, tf.transpose(stacked, [0, 2, 1]))));
}

/** A tensor's values, read outside `tf.tidy` (which would walk every element of a returned array). */
function readAndDispose(tensor: tf.Tensor): Float32Array {
  const values = tensor.dataSync() as Float32Array;
  tensor.dispose();
  return values;
}

/** sᵀA⁻¹s for a symmetric positive definite A (size×size, overwritten by its Cholesky factor L): ‖L⁻¹s‖², using `z` for L⁻¹s. */
function quadraticInverse(a: Float64Array, s: Float64Array, size: number, z: Float64Array): number {
  for (let j = 0; j < size; j++) {
    let diagonal = a[j * size + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * size + k]! ** 2;
    const l = Math.sqrt(Math.max(diagonal, 1e-300));
    a[j * size + j] = l;
    for (let i = j + 1; i < size; i++) {
      let value = a[i * size + j]!;
      for (let k = 0; k < j; k++) value -= a[i * size + k]! * a[j * size + k]!;
      a[i * size + j] = value / l;
    }
  }
  let total = 0;
  for (let i = 0; i < size; i++) {
    let value = s[i]!;
    for (let k = 0; k < i; k++) value -= a[i * size + k]! * z[k]!;
    z[i] = value / a[i * size + i]!;
    total += z[i]! ** 2;
  }
  return total;
}
