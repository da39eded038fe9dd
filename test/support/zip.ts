import { inflateRawSync } from "node:zlib";

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_FILE_HEADER = 0x04034b50;
const STORED = 0;
const DEFLATED = 8;

/**
 * The files of a zip archive (a .vsix is one), by path, read through the
 * central directory at its end. Enough for packages written by ordinary
 * tools: no zip64, no encryption, stored or deflated entries.
 */
export function readZip(archive: Buffer): Map<string, Buffer> {
  const end = archive.lastIndexOf(uint32(END_OF_CENTRAL_DIRECTORY));
  if (end < 0) throw new Error("not a zip archive: no end-of-central-directory record");
  const entryCount = archive.readUInt16LE(end + 10);
  let at = archive.readUInt32LE(end + 16);

  const files = new Map<string, Buffer>();
  for (let i = 0; i < entryCount; i++) {
    if (archive.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) throw new Error(`zip central directory entry ${i} is corrupt`);
    const method = archive.readUInt16LE(at + 10);
    const compressedSize = archive.readUInt32LE(at + 20);
    const nameLength = archive.readUInt16LE(at + 28);
    const extraLength = archive.readUInt16LE(at + 30);
    const commentLength = archive.readUInt16LE(at + 32);
    const localHeader = archive.readUInt32LE(at + 42);
    const name = archive.toString("utf8", at + 46, at + 46 + nameLength);
    files.set(name, contents(archive, localHeader, compressedSize, method, name));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}

function contents(archive: Buffer, localHeader: number, compressedSize: number, method: number, name: string): Buffer {
  if (archive.readUInt32LE(localHeader) !== LOCAL_FILE_HEADER) throw new Error(`zip local header of ${name} is corrupt`);
  const start = localHeader + 30 + archive.readUInt16LE(localHeader + 26) + archive.readUInt16LE(localHeader + 28);
  const data = archive.subarray(start, start + compressedSize);
  if (method === STORED) return Buffer.from(data);
  if (method === DEFLATED) return inflateRawSync(data);
  throw new Error(`zip entry ${name} uses compression method ${method}`);
}

function uint32(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeUInt32LE(value);
  return bytes;
}
