import { describe, expect, it } from "vitest";
import { decodeUtf8, firstInvalidUtf8Byte } from "../../src/shared/utf8-text.js";

const utf8 = (text: string) => Buffer.from(text, "utf8");
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === "string" ? utf8(part) : Buffer.from(part))));

describe("firstInvalidUtf8Byte", () => {
  it("finds nothing in UTF-8 text of one to four bytes a character", () => {
    expect(firstInvalidUtf8Byte(utf8("café ✓ 𝑥 ok"))).toBeUndefined();
    expect(firstInvalidUtf8Byte(new Uint8Array())).toBeUndefined();
  });

  it("names the byte where the first character that is not UTF-8 starts", () => {
    // A Latin-1 é (0xE9) reads as the start of a three-byte character, which the space after it cannot continue.
    expect(firstInvalidUtf8Byte(bytes("// caf", [0xe9], " ok"))).toBe(6);
    // A character cut short at the end, and one cut short by a letter.
    expect(firstInvalidUtf8Byte(bytes("ab", [0xe2, 0x9c]))).toBe(2);
    expect(firstInvalidUtf8Byte(bytes("ab", [0xe2, 0x41]))).toBe(2);
    // A byte that starts no character, after a whole two-byte one.
    expect(firstInvalidUtf8Byte(bytes("é", [0xff]))).toBe(2);
    expect(firstInvalidUtf8Byte(bytes([0x80], "abc"))).toBe(0);
  });
});

describe("decodeUtf8", () => {
  it("tells UTF-16 by its byte-order mark, or by a NUL in every other byte, in either byte order", () => {
    const text = "a,b\n1,2\n";
    for (const utf16 of [Buffer.from(`\ufeff${text}`, "utf16le"), Buffer.from(text, "utf16le"), Buffer.from(`\ufeff${text}`, "utf16le").swap16(), Buffer.from(text, "utf16le").swap16()]) {
      expect(decodeUtf8(utf16).notUtf8).toEqual({ utf16: true });
    }
    // A letter such as Ā (U+0100) puts its NUL in the other byte.
    expect(decodeUtf8(Buffer.from("name\nĀdam\n", "utf16le")).notUtf8).toEqual({ utf16: true });
  });

  it("reads UTF-8 text, with or without a byte-order mark, as it is", () => {
    expect(decodeUtf8(utf8("\ufeffa,b\n1,ü\n"))).toEqual({ text: "\ufeffa,b\n1,ü\n" });
    expect(decodeUtf8(new Uint8Array())).toEqual({ text: "" });
  });

  it("names the first byte that is not UTF-8 by line and column in characters", () => {
    expect(decodeUtf8(bytes("a,b\n1,Orl", [0xe9], "ans\n")).notUtf8).toEqual({ byte: 0xe9, line: 2, column: 6 });
    expect(decodeUtf8(bytes("é,", [0xe9])).notUtf8).toEqual({ byte: 0xe9, line: 1, column: 3 });
  });
});
