import { FunctionWriter, type ExportedFunction, type Local } from "./assembler.js";

/**
 * The sums down the columns of a matrix [rows, columns] with columns in
 * fours, in wasm SIMD: 16 columns at a time held in v128 registers while
 * the rows stream past, then four at a time for what is left. Rows are
 * added in order, so results are deterministic.
 *
 * Parameters, all i32: x, sums (addresses in bytes), rows, rowBytes.
 */
export function columnSumsFunctions(): ExportedFunction[] {
  return [{ name: "columnSums", writer: writeColumnSums() }];
}

function writeColumnSums(): FunctionWriter {
  const f = new FunctionWriter(4);
  const [x, sums, rows, rowBytes] = f.parameters() as [Local, Local, Local, Local];
  const column = f.local("i32");
  const pointer = f.local("i32");
  const row = f.local("i32");
  const vectors = [f.local("v128"), f.local("v128"), f.local("v128"), f.local("v128")];

  /** Columns [column, column + 4·count) summed into `sums`. */
  const block = (count: number) => {
    for (let v = 0; v < count; v++) f.f32x4Constant(0).set(vectors[v]!);
    f.get(x).get(column).add().set(pointer);
    f.countDown(row, rows, () => {
      for (let v = 0; v < count; v++) f.get(vectors[v]!).get(pointer).loadV128(v * 16).f32x4Add().set(vectors[v]!);
      f.addLocal(pointer, rowBytes);
    });
    for (let v = 0; v < count; v++) f.get(sums).get(column).add().get(vectors[v]!).storeV128(v * 16);
    f.addConstant(column, count * 16);
  };
  /** Blocks of `count` vectors while that many columns are left. */
  const blocks = (count: number) =>
    f.when(
      () => f.get(column).i32(count * 16).add().get(rowBytes).leU(),
      () => f.doWhile(() => block(count), () => f.get(column).i32(count * 16).add().get(rowBytes).leU()),
    );

  f.i32(0).set(column);
  blocks(4);
  blocks(1);
  return f;
}
