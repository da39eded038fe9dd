import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { removeDeadWritersTemporaries, writeFileAtomically } from "../../src/shared/write-file-atomically.js";

const temporaryFolder = () => mkdtempSync(join(tmpdir(), "reglang-atomic-"));

/** The pid of a process that has exited: a writer killed mid-write. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ["--eval", ""]);
  return child.pid;
}

/** A file as a writer killed before this process started left it: written an hour ago. */
function leftBefore(path: string, text = ""): void {
  writeFileSync(path, text);
  const hourAgo = new Date(Date.now() - 3_600_000);
  utimesSync(path, hourAgo, hourAgo);
}

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

  it("names the file it was writing in its error, not the temporary", () => {
    const target = join(temporaryFolder(), "gone", "history.json");
    expect(() => writeFileAtomically(target, "{}")).toThrow(expect.objectContaining({ code: "ENOENT", path: target }));
  });

  it("removes the temporaries dead writers left in the target's folder, whatever their target, and keeps a live writer's", () => {
    const folder = temporaryFolder();
    const dead = deadPid();
    leftBefore(join(folder, `history.json.${dead}.0.regc-tmp`), "{\"epo");
    leftBefore(join(folder, `report.html.${dead}.7.regc-tmp`), "<ht");
    leftBefore(join(folder, `history.json.${process.pid}.12.regc-tmp`), "{");
    writeFileAtomically(join(folder, "history.json"), "{}");
    expect(readdirSync(folder).sort()).toEqual(["history.json", `history.json.${process.pid}.12.regc-tmp`]);
  });

  it("keeps a temporary written since this process started, whose writer may run where this one cannot see it (another container)", () => {
    const folder = temporaryFolder();
    const young = `history.json.${deadPid()}.0.regc-tmp`;
    writeFileSync(join(folder, young), "{");
    leftBefore(join(folder, `report.html.${deadPid()}.0.regc-tmp`));
    removeDeadWritersTemporaries(folder);
    expect(readdirSync(folder)).toEqual([young]);
  });

  it("clears a folder on its first write only, not on every write", () => {
    const folder = temporaryFolder();
    writeFileAtomically(join(folder, "a.json"), "1");
    const leftover = `a.json.${deadPid()}.0.regc-tmp`;
    leftBefore(join(folder, leftover));
    writeFileAtomically(join(folder, "a.json"), "2");
    expect(readdirSync(folder).sort()).toEqual(["a.json", leftover]);
  });

  it("clears a whole tree of dead writers' temporaries on request, leaving every other file", () => {
    const folder = temporaryFolder();
    const dead = deadPid();
    mkdirSync(join(folder, "checkpoint", "3", "params"), { recursive: true });
    const files = ["run.json", `run.json.${process.pid}.0.regc-tmp`, "checkpoint/latest.json", "checkpoint/3/params/weights.bin", "notes.regc-tmp", `weights.bin.${dead}.x.regc-tmp`];
    for (const file of files) leftBefore(join(folder, file));
    leftBefore(join(folder, `run.json.${dead}.0.regc-tmp`));
    leftBefore(join(folder, "checkpoint", `latest.json.${dead}.4.regc-tmp`));
    leftBefore(join(folder, "checkpoint", "3", "params", `weights.bin.${dead}.2.regc-tmp`));
    removeDeadWritersTemporaries(folder, { tree: true });
    const left = readdirSync(folder, { recursive: true, encoding: "utf8" }).filter((name) => statSync(join(folder, name)).isFile());
    expect(left.sort()).toEqual(files.map((file) => join(...file.split("/"))).sort());
  });
});
