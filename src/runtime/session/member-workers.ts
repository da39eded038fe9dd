import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { STOP_WITH_PARENT } from "../../shared/stop-with-parent.js";
import { DIVERGED_EXIT_CODE, INTERRUPTED_EXIT_CODE, TrainingStopped } from "../train/faults.js";
import type { InterruptWatch } from "./interrupt.js";

/** How to start this very program again, to train one member: `node [its flags] PROGRAM --resume RUN --member I …`. */
export interface MemberCommand {
  program: string;
  runFolder: string;
  backend: string;
  threads?: number;
  epochs?: number;
}

interface Waiting {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

/** Lines of a member's own output kept to say why it failed. */
const KEPT_LINES = 40;
/** Exit codes a member's failure keeps: a data or I/O error, a diverged loss; any other is a bug. */
const PASSED_ON = new Set([2, DIVERGED_EXIT_CODE]);

/**
 * Bagging's members, each trained by this same program in a process of its
 * own (`--member I`), up to `workers` at once: a member's seed and
 * bootstrap resample are functions of the run's seed and its index, so
 * which process trains it changes no number. Their output comes through
 * line by line, prefixed with the member. Ctrl-C (or this process's
 * parent going away) is passed on, so every member checkpoints and stops;
 * a member that fails stops the others the same way, and the error names
 * it and says why.
 */
export class MemberWorkers {
  private readonly waiting = new Map<number, Waiting>();
  private readonly queue: number[];
  private readonly running = new Map<number, ChildProcess>();
  private failure: TrainingStopped | undefined;
  private stopping = false;
  private readonly unfollow: () => void;

  constructor(
    members: readonly number[],
    private readonly count: number,
    private readonly workers: number,
    private readonly command: MemberCommand,
    private readonly interrupts: InterruptWatch,
    private readonly print: (line: string) => void,
  ) {
    for (const index of members) this.waiting.set(index, waiting());
    this.queue = [...members];
    this.interrupts.start();
    this.unfollow = this.interrupts.follow((atOnce) => this.stopAll(atOnce));
    this.fill();
  }

  /**
   * Resolves once member `index` has trained in its process (at once for a
   * member this pool does not train); rejects, after every member process
   * has ended, when one failed or training was stopped.
   */
  finished(index: number): Promise<void> {
    return this.waiting.get(index)?.promise ?? Promise.resolve();
  }

  private fill(): void {
    while (!this.stopping && this.running.size < this.workers && this.queue.length > 0) this.launch(this.queue.shift()!);
    if (this.running.size === 0 && (this.stopping || this.queue.length === 0)) this.settle();
  }

  private launch(index: number): void {
    const { program, runFolder, backend, threads, epochs } = this.command;
    const args = [...process.execArgv, program, "--resume", runFolder, "--member", String(index), "--backend", backend];
    if (threads !== undefined) args.push("--threads", String(threads));
    if (epochs !== undefined) args.push("--epochs", String(epochs));
    // Its own process group: a Ctrl-C at the terminal reaches this process alone, which passes it on once.
    const child = spawn(process.execPath, args, { detached: true, stdio: ["ignore", "pipe", "pipe", "ipc"], env: { ...process.env, [STOP_WITH_PARENT]: "1" } });
    this.running.set(index, child);
    const name = `member-${index}`;
    const said: string[] = [];
    for (const stream of [child.stdout, child.stderr]) {
      lines(stream!, (line) => {
        said.push(line);
        if (said.length > KEPT_LINES) said.shift();
        this.print(`[${name}] ${line}`);
      });
    }
    child.on("error", (error) => this.fail(index, new TrainingStopped(`${name} of ${this.count} could not start: ${error.message}`, 2)));
    child.on("close", (code, signal) => {
      this.running.delete(index);
      if (code === 0) this.waiting.get(index)!.resolve();
      // Stopped as asked: after a checkpoint (130), or by the signal itself before training began.
      else if (!(this.stopping && (code === INTERRUPTED_EXIT_CODE || signal === "SIGINT"))) this.fail(index, this.failed(name, code, signal, said));
      this.fill();
    });
  }

  private failed(name: string, code: number | null, signal: NodeJS.Signals | null, said: readonly string[]): TrainingStopped {
    const others = "The other members stopped after saving a checkpoint.";
    if (code === null) {
      const resume = `Continue with: regc run --resume ${this.command.runFolder}`;
      return new TrainingStopped(`${name} of ${this.count}: its process was killed by ${signal ?? "a signal"}. ${others} ${resume}`, INTERRUPTED_EXIT_CODE);
    }
    const reason = whyStopped(said);
    // A member's own failure already names it (`member-2 of 5: the training loss became NaN…`).
    const what = reason.startsWith(`${name} of `) ? reason : `${name} of ${this.count} failed (exit ${code})${reason ? `: ${reason}` : ""}`;
    return new TrainingStopped(`${what}\n${others}`, PASSED_ON.has(code) ? code : 3);
  }

  private fail(index: number, error: TrainingStopped): void {
    this.failure ??= error;
    this.running.get(index)?.kill("SIGINT");
    this.stopAll(false);
  }

  /** Asks every member process to checkpoint and stop (`atOnce`: to quit now), and starts no more. */
  private stopAll(atOnce: boolean): void {
    const already = this.stopping;
    this.stopping = true;
    if (already && !atOnce) return;
    for (const child of this.running.values()) child.kill("SIGINT");
    if (atOnce) for (const child of this.running.values()) child.kill("SIGINT");
  }

  /** Every member process has ended: what was asked of the members not trained is refused, with why. */
  private settle(): void {
    this.unfollow();
    const error =
      this.failure ??
      new TrainingStopped(
        `interrupted: every member process saved a checkpoint and stopped. Continue with: regc run --resume ${this.command.runFolder}`,
        INTERRUPTED_EXIT_CODE,
        true,
      );
    for (const entry of this.waiting.values()) entry.reject(error);
  }
}

function waiting(): Waiting {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((yes, no) => {
    resolve = yes;
    reject = no;
  });
  // Members the program never gets to ask about (an earlier one failed) must not count as unhandled.
  promise.catch(() => {});
  return { promise, resolve, reject };
}

function lines(stream: Readable, onLine: (line: string) => void): void {
  createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
    if (line.trim() !== "") onLine(line);
  });
}

/** The member's error lines, or the end of what it said. */
function whyStopped(said: readonly string[]): string {
  const first = said.findIndex((line) => /^(error|Error|TypeError|RangeError)\b/.test(line));
  return (first >= 0 ? said.slice(first, first + 6) : said.slice(-4)).map((line) => line.replace(/^error: /, "")).join("\n");
}
