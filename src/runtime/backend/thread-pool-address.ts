/**
 * Where tfjs's threaded wasm build keeps its thread pool: the address in
 * wasm memory of the `threadpool` pointer every XNNPACK call is given.
 * The build exports no way to change the pool's size once made, but its
 * `get_threads_count` begins by loading that pointer from a constant
 * address (`i32.const A; i32.load offset=O`), which this reads from the
 * function's code in the binary. Undefined when the binary's code does not
 * have that shape (another build): the pool then keeps its size.
 */
export function threadPoolAddress(binary: Uint8Array): number | undefined {
  try {
    const body = exportedFunctionBody(new WasmReader(binary), "get_threads_count");
    return body === undefined ? undefined : loadedConstantAddress(body);
  } catch {
    return undefined;
  }
}

const SECTION = { import: 2, export: 7, code: 10 } as const;
const EXTERNAL_KIND = { function: 0, table: 1, memory: 2, global: 3 } as const;
const OPCODE = { i32Const: 0x41, i32Load: 0x28 } as const;

/** The code of the function exported as `name`: its locals, then its instructions. */
function exportedFunctionBody(reader: WasmReader, name: string): WasmReader | undefined {
  reader.position = 8; // past the magic number and version
  let importedFunctions = 0;
  let exported: number | undefined;
  let code: number | undefined;
  while (!reader.done) {
    const id = reader.byte();
    const size = reader.unsigned();
    const end = reader.position + size;
    if (id === SECTION.import) importedFunctions = countImportedFunctions(reader);
    else if (id === SECTION.export) exported = exportedFunctionIndex(reader, name);
    else if (id === SECTION.code) code = reader.position;
    reader.position = end;
  }
  if (exported === undefined || code === undefined || exported < importedFunctions) return undefined;
  reader.position = code;
  const bodies = reader.unsigned();
  for (let index = 0; index < bodies; index++) {
    const size = reader.unsigned();
    if (index === exported - importedFunctions) return reader.slice(size);
    reader.position += size;
  }
  return undefined;
}

function countImportedFunctions(reader: WasmReader): number {
  let functions = 0;
  const count = reader.unsigned();
  for (let index = 0; index < count; index++) {
    reader.name(); // module
    reader.name(); // field
    const kind = reader.byte();
    if (kind === EXTERNAL_KIND.function) {
      reader.unsigned();
      functions++;
    } else if (kind === EXTERNAL_KIND.table) {
      reader.byte();
      readLimits(reader);
    } else if (kind === EXTERNAL_KIND.memory) readLimits(reader);
    else if (kind === EXTERNAL_KIND.global) reader.position += 2;
    else throw new Error(`unknown import kind ${kind}`);
  }
  return functions;
}

function readLimits(reader: WasmReader): void {
  const flags = reader.unsigned();
  reader.unsigned();
  if (flags & 1) reader.unsigned();
}

function exportedFunctionIndex(reader: WasmReader, name: string): number | undefined {
  const count = reader.unsigned();
  for (let index = 0; index < count; index++) {
    const exportName = reader.name();
    const kind = reader.byte();
    const target = reader.unsigned();
    if (exportName === name && kind === EXTERNAL_KIND.function) return target;
  }
  return undefined;
}

/** A + O when the body's first instructions are `i32.const A; i32.load align offset=O`. */
function loadedConstantAddress(body: WasmReader): number | undefined {
  const localGroups = body.unsigned();
  for (let group = 0; group < localGroups; group++) {
    body.unsigned();
    body.byte();
  }
  if (body.byte() !== OPCODE.i32Const) return undefined;
  const base = body.signed();
  if (body.byte() !== OPCODE.i32Load) return undefined;
  body.unsigned(); // alignment
  const address = base + body.unsigned();
  return address > 0 && address % 4 === 0 ? address : undefined;
}

/** LEB128 numbers and names from a wasm binary. */
class WasmReader {
  position = 0;

  constructor(private readonly bytes: Uint8Array) {}

  get done(): boolean {
    return this.position >= this.bytes.length;
  }

  byte(): number {
    if (this.done) throw new Error("unexpected end of the wasm binary");
    return this.bytes[this.position++]!;
  }

  unsigned(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      if (!(byte & 0x80)) return value;
    }
  }

  signed(): number {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.byte();
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return byte & 0x40 ? value - 2 ** shift : value;
  }

  name(): string {
    const length = this.unsigned();
    const text = new TextDecoder().decode(this.bytes.subarray(this.position, this.position + length));
    this.position += length;
    return text;
  }

  slice(length: number): WasmReader {
    const slice = new WasmReader(this.bytes.subarray(this.position, this.position + length));
    this.position += length;
    return slice;
  }
}
