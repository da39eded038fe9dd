import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { lockRunFolder, removeStaleRunLock, RUN_LOCK_FILE } from "../../src/runtime/run/run-lock.js";

const ROOT = join(import.meta.dirname, "..", "..");
const LOCK = join(ROOT, "src", "runtime", "run", "run-lock.ts");

const scratch = mkdtempSync(join(tmpdir(), "run-lock-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A process that claims `folder` as a run does, says so, and trains until stopped. */
async function claimingProcess(folder: string): Promise<ChildProcess> {
  const script = `
    import { lockRunFolder } from ${JSON.stringify(LOCK)};
    lockRunFolder(${JSON.stringify(folder)});
    process.on("SIGINT", () => process.exit(130));
    console.log("claimed");
    setInterval(() => {}, 1000);
  `;
  // Node itself with tsx's loader (not tsx's launcher, a process of its own): the pid killed is the one that claimed.
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => chunk.toString().includes("claimed") && resolve());
    child.on("exit", (code) => reject(new Error(`the claiming process ended first (${code})`)));
  });
  return child;
}

function ended(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

describe("a run folder's claim", () => {
  it("refuses a second process while the first trains, naming it, and is gone once the first exits", async () => {
    const folder = mkdtempSync(join(scratch, "run-"));
    const first = await claimingProcess(folder);
    expect(() => lockRunFolder(folder)).toThrow(`${folder} is being trained by process ${first.pid} now`);
    first.kill("SIGINT");
    await ended(first);
    expect(readdirSync(folder)).toEqual([]);
  }, 60_000);

  it("is taken over from a process killed without a chance to let go", async () => {
    const folder = mkdtempSync(join(scratch, "run-"));
    const first = await claimingProcess(folder);
    first.kill("SIGKILL");
    await ended(first);
    expect(existsSync(join(folder, RUN_LOCK_FILE))).toBe(true);
    expect(() => lockRunFolder(folder)).not.toThrow();
    expect(readdirSync(folder)).toEqual([RUN_LOCK_FILE]);
  }, 60_000);

  it("left by a killed process is removed as stale, while a live process keeps its own", async () => {
    const folder = mkdtempSync(join(scratch, "run-"));
    const holder = await claimingProcess(folder);
    removeStaleRunLock(folder);
    expect(readdirSync(folder)).toEqual([RUN_LOCK_FILE]);
    holder.kill("SIGKILL");
    await ended(holder);
    removeStaleRunLock(folder);
    expect(readdirSync(folder)).toEqual([]);
  }, 60_000);

  it("lets go at exit without an error of its own where its claim cannot be removed, as on a file system gone read-only", () => {
    const folder = mkdtempSync(join(scratch, "run-"));
    // A folder in the claim's place: removing it fails, as removing a file from a read-only file system does.
    const script = `
      import { mkdirSync, rmSync } from "node:fs";
      import { lockRunFolder } from ${JSON.stringify(LOCK)};
      lockRunFolder(${JSON.stringify(folder)});
      rmSync(${JSON.stringify(join(folder, RUN_LOCK_FILE))});
      mkdirSync(${JSON.stringify(join(folder, RUN_LOCK_FILE, "in-the-way"))}, { recursive: true });
    `;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "--eval", script], { cwd: ROOT, encoding: "utf8" });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(0);
  }, 60_000);

  it("taken over from a killed process removes the temporaries it left mid-write anywhere in the folder, and keeps a live writer's", async () => {
    const folder = mkdtempSync(join(scratch, "run-"));
    const killed = await claimingProcess(folder);
    killed.kill("SIGKILL");
    await ended(killed);
    const generation = join(folder, "checkpoint", "7", "params");
    mkdirSync(generation, { recursive: true });
    // Written before this process started, as a killed run's are when a later process resumes it.
    const hourAgo = new Date(Date.now() - 3_600_000);
    for (const leftover of [join(generation, `weights.bin.${killed.pid}.31.regc-tmp`), join(folder, `history.json.${killed.pid}.30.regc-tmp`)]) {
      writeFileSync(leftover, "");
      utimesSync(leftover, hourAgo, hourAgo);
    }
    const live = `history.csv.${process.pid}.0.regc-tmp`;
    writeFileSync(join(folder, live), "");
    lockRunFolder(folder);
    expect(readdirSync(generation)).toEqual([]);
    expect(readdirSync(folder).sort()).toEqual([RUN_LOCK_FILE, "checkpoint", live].sort());
  }, 60_000);
});
