import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * Rows of C, and its columns in fours, whose sums stay in registers: 8
 * sums and 2 of B's vectors. Of the tiles tried on x64 (1 to 6 rows by 4
 * to 16 columns), this one multiplied A's 32 × 784 and 32 × 512 by their
 * weights fastest.
 */
const TILE_ROWS = 4;
const TILE_VECTORS = 2;

/**
 * C = A·B in wasm SIMD with B read where it lies, row-major, and never
 * packed: a training step's weights are new every step, and XNNPACK packs
 * each new right operand into its own layout on one thread first. A is
 * read through two strides (a row's step and a depth step), which a
 * transposed A sets the other way round. A range of C's columns, or of its
 * rows, is computed, to split a product between threads; each element is
 * a sum over the depth in order, whatever the split, so results are
 * deterministic.
 *
 * Tiles of {@link TILE_ROWS} rows by 8 columns keep their sums in
 * registers while the depth streams past; the rows left over go one at a
 * time, and the columns left over four at a time.
 *
 * Parameters, all i32: a, aRowStep, aDepthStep, b, bRowBytes, c,
 * cRowBytes, rows, depth, from, to: `matrixProduct` computes C's columns
 * [from, to) (bounds in bytes, in fours of columns) of every row, and
 * `matrixProductRows` C's rows [from, to) of every column, for a product
 * with more rows than columns, such as a weight gradient xᵀ·dy or a
 * product taken the other way round, (W·dyᵀ)ᵀ.
 */
export function matrixProductFunctions(): ExportedFunction[] {
  return [
    { name: "matrixProduct", writer: writeMatrixProduct("columns") },
    { name: "matrixProductRows", writer: writeMatrixProduct("rows") },
  ];
}

function writeMatrixProduct(split: "columns" | "rows"): FunctionWriter {
  const f = new FunctionWriter(11);
  const [a, aRowStep, aDepthStep, b, bRowBytes, c, cRowBytes, rows, depth, from, to] = f.parameters() as Local[] as [
    Local, Local, Local, Local, Local, Local, Local, Local, Local, Local, Local,
  ];
  const [firstRow, rowLimit] = split === "rows" ? [from, to] : [undefined, rows];
  const [firstByte, byteLimit] = split === "columns" ? [from, to] : [undefined, cRowBytes];
  const column = f.local("i32");
  const row = f.local("i32");
  const counter = f.local("i32");
  const bPointer = f.local("i32");
  const aPointers = Array.from({ length: TILE_ROWS }, () => f.local("i32"));
  const sums = Array.from({ length: TILE_ROWS * TILE_VECTORS }, () => f.local("v128"));
  const bVectors = Array.from({ length: TILE_VECTORS }, () => f.local("v128"));

  /** C's rows [row, row + tileRows) by columns [column, column + 4·vectors), then row advanced. */
  const tile = (tileRows: number, vectors: number) => {
    for (let s = 0; s < tileRows * vectors; s++) f.f32x4Constant(0).set(sums[s]!);
    f.get(a).get(row).get(aRowStep).mul().add().set(aPointers[0]!);
    for (let r = 1; r < tileRows; r++) f.get(aPointers[r - 1]!).get(aRowStep).add().set(aPointers[r]!);
    f.get(b).get(column).add().set(bPointer);
    f.countDown(counter, depth, () => {
      for (let v = 0; v < vectors; v++) f.get(bPointer).loadV128(v * 16).set(bVectors[v]!);
      for (let r = 0; r < tileRows; r++) {
        for (let v = 0; v < vectors; v++) {
          const sum = sums[r * vectors + v]!;
          f.get(sum).get(aPointers[r]!).loadSplat().get(bVectors[v]!).f32x4Mul().f32x4Add().set(sum);
        }
        f.addLocal(aPointers[r]!, aDepthStep);
      }
      f.addLocal(bPointer, bRowBytes);
    });
    for (let r = 0; r < tileRows; r++) {
      for (let v = 0; v < vectors; v++) {
        f.get(c).get(row).i32(r).add().get(cRowBytes).mul().add().get(column).add().get(sums[r * vectors + v]!).storeV128(v * 16);
      }
    }
    f.addConstant(row, tileRows);
  };
  /** Every row of C by columns [column, column + 4·vectors): whole tiles while they fit, then one row at a time. */
  const columnBlock = (vectors: number) => {
    if (firstRow === undefined) f.i32(0).set(row);
    else f.get(firstRow).set(row);
    for (const tileRows of [TILE_ROWS, 1]) f.whileFits(row, tileRows, rowLimit, () => tile(tileRows, vectors));
    f.addConstant(column, vectors * 16);
  };

  if (firstByte === undefined) f.i32(0).set(column);
  else f.get(firstByte).set(column);
  for (const vectors of [TILE_VECTORS, 1]) f.whileFits(column, vectors * 16, byteLimit, () => columnBlock(vectors));
  return f;
}
