import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomically } from "../../src/shared/write-file-atomically.js";

const temporaryFolder = () => mkdtempSync(join(tmpdir(), "reglang-atomic-"));

describe("writeFileAtomically", () => {
  it("writes text and binary files, leaving nothing else behind", () => {
    const folder = temporaryFolder();
    writeFileAtomically(join(folder, "a.txt"), "héllo\n");
    writeFileAtomically(join(folder, "b.bin"), new Uint8Array([0, 255, 10, 13]));
    expect(readFileSync(join(folder, "a.txt"), "utf8")).toBe("héllo\n");
    expect([...readFileSync(join(folder, "b.bin"))]).toEqual([0, 255, 10, 13]);
    expect(readdirSync(folder).sort()).toEqual(["a.txt", "b.bin"]);
  });

  it("replaces a file and keeps its permissions", () => {
    const folder = temporaryFolder();
    const path = join(folder, "spec.reg");
    writeFileSync(path, "old");
    chmodSync(path, 0o600);
    writeFileAtomically(path, "new");
    expect(readFileSync(path, "utf8")).toBe("new");
    expect(statSync(path).mode & 0o777).toBe(0o600);
  });

  it("leaves the target as it was and removes its temporary file when the write fails", () => {
    const folder = temporaryFolder();
    const target = join(folder, "taken");
    mkdirSync(target);
    writeFileSync(join(target, "inside"), "kept");
    expect(() => writeFileAtomically(target, "text")).toThrow();
    expect(readdirSync(folder)).toEqual(["taken"]);
    expect(readFileSync(join(target, "inside"), "utf8")).toBe("kept");
  });
});
