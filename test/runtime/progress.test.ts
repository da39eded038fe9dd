import { describe, expect, it } from "vitest";
import type { EpochRecord } from "../../src/runtime/run/history.js";
import { createProgressReporter, type ProgressReporter } from "../../src/runtime/run/progress.js";

const CLEAR = "\r\x1b[2K";

function record(epoch: number, seconds: number, train: Record<string, number>, val?: Record<string, number>): EpochRecord {
  return { epoch, phase: "train", learningRate: 0.01, seconds, train, ...(val ? { val } : {}) };
}

/** A fake terminal or log: what was written, write by write, and a clock the test moves. */
function fakeOutput(isTTY: boolean, columns?: number) {
  const writes: string[] = [];
  let ms = 0;
  return {
    writes,
    output: { isTTY, columns, write: (text: string) => writes.push(text) },
    now: () => ms,
    advance: (by: number) => (ms += by),
  };
}

/** Two epochs of four steps, 250 ms apart, with a message half-way through the first. */
function fakeRun(progress: ProgressReporter, advance: (ms: number) => void): void {
  for (const epoch of [1, 2]) {
    progress.epochStart(epoch, 2, 4);
    for (let step = 1; step <= 4; step++) {
      advance(250);
      progress.step(step, 0.7 - step / 10, { accuracy: 0.5 + step / 20 });
      if (epoch === 1 && step === 2) progress.message("checkpoint saved");
    }
    progress.epochEnd(
      epoch === 1
        ? record(1, 2.14, { loss: 0.69314718, accuracy: 0.5 }, { loss: 0.7, accuracy: 0.48 })
        : record(2, 1.9, { loss: 0.41234, accuracy: 0.881 }, { loss: 0.50123, accuracy: 0.85 }),
    );
  }
  progress.finish();
}

describe("plain progress (logs and CI)", () => {
  it("writes one line per epoch and per message, nothing per step", () => {
    const fake = fakeOutput(false);
    fakeRun(createProgressReporter(fake.output, {}, fake.now), fake.advance);
    expect(fake.writes.join("")).toBe(
      "checkpoint saved\n" +
        "epoch 1/2  loss 0.6931  accuracy 0.5000  val_loss 0.7000  val_accuracy 0.4800  2.1s\n" +
        "epoch 2/2  loss 0.4123  accuracy 0.8810  val_loss 0.5012  val_accuracy 0.8500  1.9s\n",
    );
  });

  it("is chosen on a terminal when CI is set", () => {
    const fake = fakeOutput(true);
    fakeRun(createProgressReporter(fake.output, { CI: "true" }, fake.now), fake.advance);
    expect(fake.writes.join("")).not.toContain("\r");
    expect(fake.writes).toHaveLength(3);
  });

  it("names a phase other than the first and shows long epochs as m:ss", () => {
    const fake = fakeOutput(false);
    const progress = createProgressReporter(fake.output, {}, fake.now);
    progress.epochStart(3, 10, 100);
    progress.epochEnd({ ...record(3, 75, { loss: 12345.6, kl: 0.00001234 }), phase: "retrain_all" });
    expect(fake.writes).toEqual(["retrain_all epoch 3/10  loss 12346  kl 1.234e-5  1:15\n"]);
  });
});

describe("terminal progress", () => {
  it("redraws one line in place, puts it back after a message, and leaves a summary per epoch", () => {
    const fake = fakeOutput(true);
    fakeRun(createProgressReporter(fake.output, { CI: "" }, fake.now), fake.advance);
    const epoch2Line = (bar: string, step: number, values: string) => `${CLEAR}epoch 2/2 [${bar}] ${step}/4${values}`;
    expect(fake.writes).toEqual([
      `${CLEAR}epoch 1/2 [....................] 0/4`,
      `${CLEAR}epoch 1/2 [#####...............] 1/4  loss 0.6000  accuracy 0.5500  ETA 0:01`,
      `${CLEAR}epoch 1/2 [##########..........] 2/4  loss 0.5000  accuracy 0.6000  ETA 0:01`,
      `${CLEAR}checkpoint saved\n`,
      `${CLEAR}epoch 1/2 [##########..........] 2/4  loss 0.5000  accuracy 0.6000  ETA 0:01`,
      `${CLEAR}epoch 1/2 [###############.....] 3/4  loss 0.4000  accuracy 0.6500  ETA 0:00`,
      `${CLEAR}epoch 1/2 [####################] 4/4  loss 0.3000  accuracy 0.7000  ETA 0:00`,
      `${CLEAR}epoch 1/2  loss 0.6931  accuracy 0.5000  val_loss 0.7000  val_accuracy 0.4800  2.1s\n`,
      epoch2Line("....................", 0, ""),
      epoch2Line("#####...............", 1, "  loss 0.6000  accuracy 0.5500  ETA 0:01"),
      epoch2Line("##########..........", 2, "  loss 0.5000  accuracy 0.6000  ETA 0:01"),
      epoch2Line("###############.....", 3, "  loss 0.4000  accuracy 0.6500  ETA 0:00"),
      epoch2Line("####################", 4, "  loss 0.3000  accuracy 0.7000  ETA 0:00"),
      `${CLEAR}epoch 2/2  loss 0.4123  accuracy 0.8810  val_loss 0.5012  val_accuracy 0.8500  1.9s\n`,
    ]);
  });

  it("clears a progress line still showing when it finishes", () => {
    const fake = fakeOutput(true);
    const progress = createProgressReporter(fake.output, {}, fake.now);
    progress.epochStart(1, 5, 10);
    progress.finish();
    expect(fake.writes).toEqual([`${CLEAR}epoch 1/5 [....................] 0/10`, CLEAR]);
  });

  it("redraws at most ten times a second however fast the steps come", () => {
    const fake = fakeOutput(true);
    const progress = createProgressReporter(fake.output, {}, fake.now);
    progress.epochStart(1, 1, 1000);
    for (let step = 1; step <= 1000; step++) {
      fake.advance(1);
      progress.step(step, 0.5, {});
    }
    // One draw at the start, then one per 100 ms of the second the steps took.
    expect(fake.writes).toHaveLength(11);
    expect(fake.writes.every((write) => write.startsWith(CLEAR))).toBe(true);
    expect(fake.writes.at(-1)).toContain(" 1000/1000 ");
  });

  it("keeps the line shorter than the terminal so \\r can redraw it", () => {
    const fake = fakeOutput(true, 30);
    const progress = createProgressReporter(fake.output, {}, fake.now);
    progress.epochStart(1, 60, 100);
    fake.advance(500);
    progress.step(10, 0.5, { accuracy: 0.9 });
    expect(fake.writes.at(-1)).toBe(`${CLEAR}${"epoch 1/60 [##..................] 10/100".slice(0, 29)}`);
  });

  it("estimates the time left in the epoch from the pace so far", () => {
    const fake = fakeOutput(true);
    const progress = createProgressReporter(fake.output, {}, fake.now);
    progress.epochStart(1, 1, 100);
    fake.advance(25_000);
    progress.step(10, 0.5, {});
    expect(fake.writes.at(-1)).toMatch(/ ETA 3:45$/);
  });
});
