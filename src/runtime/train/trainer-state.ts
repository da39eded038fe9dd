import type { TrainerState } from "./trainer.js";

/**
 * What is wrong with a checkpoint's `state.json` as the loop's state, or
 * undefined when it is one: `--resume` must refuse `{}` rather than
 * "continue" from nothing.
 */
export function trainerStateProblem(value: unknown): string | undefined {
  if (!isObject(value)) return "it is not a JSON object";
  const fields: Array<[keyof TrainerState, (v: unknown) => boolean, string]> = [
    ["phase", (v) => typeof v === "string", "a string"],
    ["epoch", (v) => wholeNumber(v), "a whole number ≥ 0"],
    ["stepsDone", (v) => wholeNumber(v), "a whole number ≥ 0"],
    ["epochEnded", (v) => typeof v === "boolean", "true or false"],
    ["sums", (v) => Array.isArray(v) && v.every((pair) => Array.isArray(pair) && pair.length === 2 && typeof pair[0] === "string" && typeof pair[1] === "number"), "a list of [name, number] pairs"],
    ["objectiveSum", (v) => typeof v === "number", "a number"],
    ["examples", (v) => wholeNumber(v), "a whole number ≥ 0"],
    ["seconds", (v) => typeof v === "number" && v >= 0, "a number ≥ 0"],
    ["history", (v) => Array.isArray(v) && v.every(isEpochRecord), "a list of epoch records"],
    ["techniques", (v) => Array.isArray(v), "a list"],
  ];
  for (const [name, valid, expected] of fields) {
    if (!(name in value)) return `\`${name}\` is missing`;
    if (!valid(value[name])) return `\`${name}\` should be ${expected}`;
  }
  const state = value as unknown as TrainerState;
  if (state.stopped !== undefined && typeof state.stopped !== "string") return "`stopped` should be a string";
  const last = state.history.at(-1);
  if (state.phase === "train" && state.epochEnded && last?.epoch !== state.epoch) return `\`epoch\` is ${state.epoch} but the history ends at epoch ${last?.epoch ?? "none"}`;
  return undefined;
}

function isEpochRecord(value: unknown): boolean {
  return isObject(value) && wholeNumber(value["epoch"]) && typeof value["phase"] === "string" && isObject(value["train"]);
}

function wholeNumber(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) >= 0;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
