import { existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { selectBackend } from "../../src/runtime/backend/select.js";
import { loadCheckpoint, saveCheckpoint, type Checkpoint } from "../../src/runtime/run/checkpoint.js";
import { lockRunFolder } from "../../src/runtime/run/run-lock.js";
import { describeRunError } from "../../src/runtime/session/command-line.js";
import { writeFileAtomically } from "../../src/shared/write-file-atomically.js";

/** A device that refuses every write with ENOSPC, as a full disk does (Linux). */
const FULL_DEVICE = "/dev/full";

const scratch = mkdtempSync(join(tmpdir(), "reglang-file-failure-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
beforeAll(() => selectBackend("cpu"));

function checkpointAt(epoch: number): Checkpoint {
  return { params: new Map([["kernel", tf.tensor1d([epoch, -epoch])]]), optimizer: [], state: { epoch } };
}

/**
 * A full disk without privileges: the temporaries this process would write
 * `target` through are links to the full device, so writing the target
 * fails as it does on a full disk, after its temporary was opened.
 */
function fillUpFor(target: string): void {
  for (let count = 0; count < 1000; count++) symlinkSync(FULL_DEVICE, `${target}.${process.pid}.${count}.regc-tmp`);
}

describe.skipIf(!existsSync(FULL_DEVICE))("a run whose disk is full", () => {
  it("names the file it could not write, says to free space and to continue from the last checkpoint, which stays intact (exit 2)", async () => {
    const folder = mkdtempSync(join(scratch, "run-"));
    lockRunFolder(folder);
    await saveCheckpoint(folder, checkpointAt(1));
    const pointer = join(folder, "checkpoint", "latest.json");
    fillUpFor(pointer);
    const error = await saveCheckpoint(folder, checkpointAt(2)).catch((thrown: unknown) => thrown);
    expect(describeRunError(error)).toEqual({
      message: `cannot write ${pointer}: no space left on the device; free space and continue with regc run --resume ${folder}`,
      exitCode: 2,
      expected: false,
    });
    expect(readFileSync(pointer, "utf8")).toBe('{"generation":1}\n');
    expect((await loadCheckpoint(folder))?.generation).toBe(1);
  });

  it("before its first checkpoint, says to start the run again", () => {
    const folder = mkdtempSync(join(scratch, "run-"));
    lockRunFolder(folder);
    const history = join(folder, "history.json");
    fillUpFor(history);
    let error: unknown;
    try {
      writeFileAtomically(history, "{}");
    } catch (thrown) {
      error = thrown;
    }
    expect(describeRunError(error)?.message).toBe(`cannot write ${history}: no space left on the device; free space and start the run again: it has no checkpoint yet`);
  });
});

describe("an error of the file system's that is no full, read-only or forbidden one", () => {
  it("stays a bug to report, as any other error does", () => {
    let missing: unknown;
    try {
      readFileSync(join(scratch, "absent.json"));
    } catch (error) {
      missing = error;
    }
    expect((missing as NodeJS.ErrnoException).code).toBe("ENOENT");
    expect(describeRunError(missing)).toBeUndefined();
    expect(describeRunError(new Error("a bug"))).toBeUndefined();
  });
});
