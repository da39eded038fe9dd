import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * The sums down the columns of a matrix [rows, columns] with columns in
 * fours, in wasm SIMD, of its values or of their squares: 16 columns at a
 * time held in v128 registers while the rows stream past, then four at a
 * time for what is left. Rows are added in order, so results are
 * deterministic, and a square is rounded to float32 before it is added, as
 * a Square kernel followed by a Sum gives.
 *
 * Parameters, all i32: x, sums (addresses in bytes), rows, rowBytes, then
 * the columns' bytes [fromByte, toByte) to sum, so that threads can split
 * them.
 */
export function columnSumsFunctions(squared = false): ExportedFunction[] {
  return [{ name: "columnSums", writer: writeColumnSums(squared) }];
}

function writeColumnSums(squared: boolean): FunctionWriter {
  const f = new FunctionWriter(6);
  const [x, sums, rows, rowBytes, fromByte, toByte] = f.parameters() as [Local, Local, Local, Local, Local, Local];
  const column = f.local("i32");
  const pointer = f.local("i32");
  const row = f.local("i32");
  const vectors = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];
  const value = f.local("v128");

  /** Columns [column, column + 4·count) summed into `sums`. */
  const block = (count: number) => {
    for (let v = 0; v < count; v++) f.f32x4Constant(0).set(vectors[v]!);
    f.get(x).get(column).add().set(pointer);
    f.countDown(row, rows, () => {
      for (let v = 0; v < count; v++) {
        f.get(vectors[v]!).get(pointer).loadV128(v * 16);
        if (squared) f.tee(value).get(value).f32x4Mul();
        f.f32x4Add().set(vectors[v]!);
      }
      f.addLocal(pointer, rowBytes);
    });
    for (let v = 0; v < count; v++) f.get(sums).get(column).add().get(vectors[v]!).storeV128(v * 16);
    f.addConstant(column, count * 16);
  };
  f.get(fromByte).set(column);
  for (const count of [4, 1]) f.whileFits(column, count * 16, toByte, () => block(count));
  return f;
}
