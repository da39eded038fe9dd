import { describe, expect, it } from "vitest";
import { firstInvalidUtf8Byte } from "../../src/shared/read-regular-file.js";

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
