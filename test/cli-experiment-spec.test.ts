import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseArgs, type FlagTable } from "../src/cli/args.js";
import { checkedExperimentSpec, refuseChangesOnResume } from "../src/cli/experiment-spec.js";
import { ExitCode } from "../src/cli/exit-codes.js";
import { UsageError } from "../src/cli/usage-error.js";
import { oneProgramProblems, tuningProblems } from "../src/compiler/tuning/command-fit.js";
import { EXAMPLES_DIR } from "./support/examples.js";

const FLAGS: FlagTable = { "--seeds": { kind: "value", meaning: "a number of seeds" }, "--out": { kind: "value", meaning: "a folder" } };
const args = (...argv: string[]) => parseArgs(argv, FLAGS, "ablate");

function capture() {
  const written = { stdout: "", stderr: "" };
  return { written, output: { stdout: (text: string) => void (written.stdout += text), stderr: (text: string) => void (written.stderr += text), color: false } };
}

describe("an experiment's spec", () => {
  it("is the one spec given, checked, with its program", () => {
    const path = join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg");
    const { output, written } = capture();
    const spec = checkedExperimentSpec("ablate", args(path), output, oneProgramProblems);
    if (spec === ExitCode.SpecErrors) throw new Error(written.stderr);
    expect(spec.path).toBe(path);
    expect(spec.text).toMatch(/^data digits/m);
    expect(spec.program.models.size).toBeGreaterThan(0);
    expect(written.stderr).toBe("");
  });

  it("with errors, prints them as `regc check` does and answers SpecErrors", () => {
    const path = join(EXAMPLES_DIR, "errors", "REG0001-missing-paren.reg");
    const { output, written } = capture();
    expect(checkedExperimentSpec("tune", args(path), output, tuningProblems)).toBe(ExitCode.SpecErrors);
    expect(written.stderr).toContain("error[REG0001]");
  });

  it("with search spaces, is refused by an ablation as by `regc run`: REG7002 at its first space, and SpecErrors", () => {
    const path = join(EXAMPLES_DIR, "tuning", "a-dropout-maxnorm.reg");
    const { output, written } = capture();
    expect(checkedExperimentSpec("ablate", args(path), output, oneProgramProblems)).toBe(ExitCode.SpecErrors);
    expect(written.stderr).toContain(`${path}:14:11: error[REG7002]: this spec has search spaces, so it describes many runs: train it with \`regc tune a-dropout-maxnorm.reg\``);
  });

  it("without search spaces, or without epochs, is refused by a tuning: REG7003 saying why, and SpecErrors", () => {
    const plain = join(EXAMPLES_DIR, "a-mlp-dropout-maxnorm.reg");
    const { output, written } = capture();
    expect(checkedExperimentSpec("tune", args(plain), output, tuningProblems)).toBe(ExitCode.SpecErrors);
    expect(written.stderr).toContain(`${plain}:1:1: error[REG7003]: \`regc tune\` cannot search this spec: it has no search spaces, so every trial would train the same spec; train it with \`regc run a-mlp-dropout-maxnorm.reg\``);
    const closedForm = join(EXAMPLES_DIR, "errors", "REG7003-tune-without-epochs.reg");
    expect(checkedExperimentSpec("tune", args(closedForm), output, tuningProblems)).toBe(ExitCode.SpecErrors);
    expect(written.stderr).toMatch(/REG7003-tune-without-epochs\.reg:\d+:3: error\[REG7003\]: `regc tune` cannot search this spec: it solves for its weights in one step \(`solver closed_form`\)/);
  });

  it("is one file: none or two are a usage error naming the command", () => {
    const { output } = capture();
    expect(() => checkedExperimentSpec("tune", args(), output, tuningProblems)).toThrow(new UsageError("`regc tune` takes one spec file, not 0"));
    expect(() => checkedExperimentSpec("ablate", args("a.reg", "b.reg"), output, oneProgramProblems)).toThrow(new UsageError("`regc ablate` takes one spec file, not 2"));
  });

  it("is the folder's own when resuming: a spec or a flag fixed at the start is a usage error", () => {
    expect(() => refuseChangesOnResume("tuning", args("x.reg"), [])).toThrow("`--resume` continues the tuning in the folder with its own spec: give no spec");
    expect(() => refuseChangesOnResume("ablation", args("--seeds", "4", "--out", "o"), ["--seeds", "--out"])).toThrow("--seeds, --out cannot change when resuming: the ablation keeps what it started with");
    expect(() => refuseChangesOnResume("ablation", args(), ["--seeds", "--out"])).not.toThrow();
  });
});
