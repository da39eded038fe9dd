/**
 * Writes WebAssembly modules in the binary format, for kernels generated at
 * run time: each specialized to its shapes (channel counts unrolled into
 * v128 registers) and reading and writing the wasm backend's own memory,
 * which the module imports. Only what those kernels use is here: i32
 * parameters and locals, v128 locals, blocks, loops and branches, i32
 * arithmetic, f32 loads, stores and addition, and the SIMD loads, stores
 * and f32x4 arithmetic.
 */

export type ValueType = "i32" | "v128";

const VALUE_TYPE_CODES: Record<ValueType, number> = { i32: 0x7f, v128: 0x7b };

/** A local (parameters first) of the function being written. */
export type Local = number & { readonly local: unique symbol };

/** Instruction codes: plain ones, then those behind the SIMD prefix 0xfd. */
const OP = {
  block: 0x02,
  loop: 0x03,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  f32Load: 0x2a,
  f32Store: 0x38,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32LeU: 0x4d,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Mul: 0x6c,
  f32Add: 0x92,
} as const;

const SIMD = {
  load: 0x00,
  i32x4Splat: 0x11,
  load32Splat: 0x09,
  store: 0x0b,
  const: 0x0c,
  f32x4Gt: 0x44,
  not: 0x4d,
  and: 0x4e,
  andNot: 0x4f,
  or: 0x50,
  bitselect: 0x52,
  f32x4Sqrt: 0xe3,
  f32x4Add: 0xe4,
  f32x4Mul: 0xe6,
  f32x4Div: 0xe7,
  f32x4Max: 0xe9,
} as const;

/** The body of one function: instructions appended in order, locals numbered after the parameters. */
export class FunctionWriter {
  readonly bytes: number[] = [];
  private readonly localTypes: ValueType[] = [];

  constructor(readonly parameterCount: number) {}

  /** The parameters, i32 all. */
  parameters(): Local[] {
    return Array.from({ length: this.parameterCount }, (_, index) => index as Local);
  }

  local(type: ValueType): Local {
    this.localTypes.push(type);
    return (this.parameterCount + this.localTypes.length - 1) as Local;
  }

  get(local: Local): this {
    return this.op(OP.localGet).unsigned(local);
  }

  set(local: Local): this {
    return this.op(OP.localSet).unsigned(local);
  }

  tee(local: Local): this {
    return this.op(OP.localTee).unsigned(local);
  }

  i32(value: number): this {
    return this.op(OP.i32Const).signed(value);
  }

  add(): this {
    return this.op(OP.i32Add);
  }

  sub(): this {
    return this.op(OP.i32Sub);
  }

  mul(): this {
    return this.op(OP.i32Mul);
  }

  eqz(): this {
    return this.op(OP.i32Eqz);
  }

  ltU(): this {
    return this.op(OP.i32LtU);
  }

  leU(): this {
    return this.op(OP.i32LeU);
  }

  /** local += the constant `amount`. */
  addConstant(local: Local, amount: number): this {
    return this.get(local).i32(amount).add().set(local);
  }

  /** local += other. */
  addLocal(local: Local, other: Local): this {
    return this.get(local).get(other).add().set(local);
  }

  /** An i32 read from memory at the address on the stack plus `offset`. */
  loadI32(offset = 0): this {
    return this.op(OP.i32Load).memoryArgument(2, offset);
  }

  /** An f32 read at the address on the stack plus `offset`. */
  loadF32(offset = 0): this {
    return this.op(OP.f32Load).memoryArgument(2, offset);
  }

  /** Stores the f32 on top of the stack at the address under it plus `offset`. */
  storeF32(offset = 0): this {
    return this.op(OP.f32Store).memoryArgument(2, offset);
  }

  f32Add(): this {
    return this.op(OP.f32Add);
  }

  /** A v128 read at the address on the stack plus `offset`. */
  loadV128(offset = 0): this {
    return this.simd(SIMD.load).memoryArgument(4, offset);
  }

  /** The f32 at the address on the stack plus `offset`, in all four lanes. */
  loadSplat(offset = 0): this {
    return this.simd(SIMD.load32Splat).memoryArgument(2, offset);
  }

  /** Stores the v128 on top of the stack at the address under it plus `offset`. */
  storeV128(offset = 0): this {
    return this.simd(SIMD.store).memoryArgument(4, offset);
  }

  /** The i32 on the stack in all four lanes: an f32's bits given as an i32 make four lanes of that f32. */
  i32x4Splat(): this {
    return this.simd(SIMD.i32x4Splat);
  }

  /** A v128 whose four f32 lanes are `value`. */
  f32x4Constant(value: number): this {
    this.simd(SIMD.const);
    const lanes = new Uint8Array(new Float32Array([value, value, value, value]).buffer);
    this.bytes.push(...lanes);
    return this;
  }

  f32x4Add(): this {
    return this.simd(SIMD.f32x4Add);
  }

  f32x4Mul(): this {
    return this.simd(SIMD.f32x4Mul);
  }

  /** a / b, lane by lane. */
  f32x4Div(): this {
    return this.simd(SIMD.f32x4Div);
  }

  f32x4Sqrt(): this {
    return this.simd(SIMD.f32x4Sqrt);
  }

  f32x4Max(): this {
    return this.simd(SIMD.f32x4Max);
  }

  /** Lane masks: all ones where a > b (false where either is NaN). */
  f32x4Gt(): this {
    return this.simd(SIMD.f32x4Gt);
  }

  and(): this {
    return this.simd(SIMD.and);
  }

  /** a & ~b. */
  andNot(): this {
    return this.simd(SIMD.andNot);
  }

  or(): this {
    return this.simd(SIMD.or);
  }

  not(): this {
    return this.simd(SIMD.not);
  }

  /** Bits of a where the mask is set, of b elsewhere (stack: a, b, mask). */
  bitselect(): this {
    return this.simd(SIMD.bitselect);
  }

  /**
   * A loop whose body runs at least once and again while `again` leaves a
   * non-zero i32. Loops nest; branches are only the loop's own.
   */
  doWhile(body: () => void, again: () => void): this {
    this.op(OP.loop).bytes.push(0x40);
    body();
    again();
    this.op(OP.brIf).unsigned(0);
    return this.op(OP.end);
  }

  /** `body` run `count` times (a local holding at least 1), with `counter` counting down from it to 1. */
  countDown(counter: Local, count: Local, body: () => void): this {
    this.get(count).set(counter);
    return this.doWhile(body, () => this.get(counter).i32(1).sub().tee(counter));
  }

  /** `body` again while `condition` leaves a non-zero i32, tested before each time: a loop that may run no times. */
  whileTrue(condition: () => void, body: () => void): this {
    return this.when(condition, () => this.doWhile(body, condition));
  }

  /** `body` while `position` + `size` ≤ `limit` (unsigned), tested before each time; the body advances `position`. */
  whileFits(position: Local, size: number, limit: Local, body: () => void): this {
    return this.whileTrue(() => this.get(position).i32(size).add().get(limit).leU(), body);
  }

  /** `body` only when `condition` leaves a non-zero i32. */
  when(condition: () => void, body: () => void): this {
    this.op(OP.block).bytes.push(0x40);
    condition();
    this.eqz().op(OP.brIf).unsigned(0);
    body();
    return this.op(OP.end);
  }

  /** The function's code entry: locals grouped by type, the body, its end. */
  encode(): number[] {
    const groups: Array<[number, ValueType]> = [];
    for (const type of this.localTypes) {
      const last = groups.at(-1);
      if (last?.[1] === type) last[0]++;
      else groups.push([1, type]);
    }
    const body = [...unsigned(groups.length), ...groups.flatMap(([count, type]) => [...unsigned(count), VALUE_TYPE_CODES[type]]), ...this.bytes, OP.end];
    return [...unsigned(body.length), ...body];
  }

  private op(code: number): this {
    this.bytes.push(code);
    return this;
  }

  private simd(code: number): this {
    this.bytes.push(0xfd, ...unsigned(code));
    return this;
  }

  private memoryArgument(alignLog2: number, offset: number): this {
    this.bytes.push(...unsigned(alignLog2), ...unsigned(offset));
    return this;
  }

  private unsigned(value: number): this {
    this.bytes.push(...unsigned(value));
    return this;
  }

  private signed(value: number): this {
    this.bytes.push(...signed(value));
    return this;
  }
}

/** One exported function taking i32 parameters and returning nothing. */
export interface ExportedFunction {
  name: string;
  writer: FunctionWriter;
}

/**
 * A module importing `env.memory` (shared where the backend's memory is: the
 * threaded build) and exporting `functions`.
 */
export function assembleModule(functions: readonly ExportedFunction[], sharedMemory: boolean): Uint8Array<ArrayBuffer> {
  const types = functions.map(({ writer }) => [0x60, ...unsigned(writer.parameterCount), ...Array(writer.parameterCount).fill(VALUE_TYPE_CODES.i32), 0]);
  // Limits: at least one page; a shared memory must state a maximum, here the most wasm32 addresses.
  const memoryLimits = sharedMemory ? [0x03, ...unsigned(1), ...unsigned(65_536)] : [0x00, ...unsigned(1)];
  const imports = [1, ...name("env"), ...name("memory"), 0x02, ...memoryLimits];
  const functionTypes = [...unsigned(functions.length), ...functions.flatMap((_, index) => unsigned(index))];
  const exports = [...unsigned(functions.length), ...functions.flatMap(({ name: exported }, index) => [...name(exported), 0x00, ...unsigned(index)])];
  const code = [...unsigned(functions.length), ...functions.flatMap(({ writer }) => writer.encode())];
  return Uint8Array.from([
    ...[0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    ...section(1, [...unsigned(types.length), ...types.flat()]),
    ...section(2, imports),
    ...section(3, functionTypes),
    ...section(7, exports),
    ...section(10, code),
  ]);
}

function section(id: number, content: number[]): number[] {
  return [id, ...unsigned(content.length), ...content];
}

function name(text: string): number[] {
  const bytes = [...new TextEncoder().encode(text)];
  return [...unsigned(bytes.length), ...bytes];
}

function unsigned(value: number): number[] {
  const bytes: number[] = [];
  do {
    let byte = value & 0x7f;
    value >>>= 7;
    if (value !== 0) byte |= 0x80;
    bytes.push(byte);
  } while (value !== 0);
  return bytes;
}

function signed(value: number): number[] {
  const bytes: number[] = [];
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    bytes.push(done ? byte : byte | 0x80);
    if (done) return bytes;
  }
}
