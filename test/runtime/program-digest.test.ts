import { describe, expect, it } from "vitest";
import { isRecordedProgram, programDigest } from "../../src/runtime/run/program-digest.js";
import { sha256 } from "../../src/runtime/run/sha256.js";

const program = (folder: string, body = "train();") => `import * as reg from "reglang/runtime";\nconst SPEC_FOLDER = reg.localPath(new URL(${JSON.stringify(folder)}, import.meta.url));\n${body}\n`;

describe("a program's digest", () => {
  it("is the same for one program written to two places, whose spec folder's line alone differs", () => {
    expect(programDigest(program("../../"))).toBe(programDigest(program("../")));
  });

  it("differs for an edited program", () => {
    expect(programDigest(program("../", "train(2);"))).not.toBe(programDigest(program("../")));
  });

  it("still matches a run that recorded the SHA-256 of the whole program", () => {
    const code = program("../../");
    expect(isRecordedProgram(code, sha256(code))).toBe(true);
    expect(isRecordedProgram(program("../"), programDigest(code))).toBe(true);
    expect(isRecordedProgram(program("../", "train(2);"), sha256(code))).toBe(false);
  });

  it("cannot tell programs apart where the source or the record is unknown", () => {
    expect(isRecordedProgram(undefined, programDigest(program("../")))).toBe(true);
    expect(isRecordedProgram(program("../"), undefined)).toBe(true);
  });
});
