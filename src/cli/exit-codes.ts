/** Every exit status `regc` can return. Scripts depend on these: never renumber one. */
export const ExitCode = {
  Ok: 0,
  SpecErrors: 1,
  Usage: 2,
  Internal: 3,
  Unformatted: 4,
  Diverged: 5,
  Interrupted: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** For `regc --help` and the docs. */
export const EXIT_CODE_MEANINGS: Record<ExitCode, string> = {
  0: "no errors (warnings allowed unless --warnings-as-errors)",
  1: "a spec has errors (for fmt: a spec has syntax errors)",
  2: "usage or I/O error: unknown command or option, missing or unreadable file",
  3: "internal error: a bug in regc, please report it",
  4: "fmt --check: some files are not formatted",
  5: "run: training stopped because the loss became NaN or infinite (the last good checkpoint is kept)",
  130: "run: interrupted by Ctrl-C or SIGTERM after a checkpoint; continue with `regc run --resume RUN_FOLDER`; ablate, tune: stopped, finished trials kept for --resume; worker: stopped, its running trials given back to the queue",
};
