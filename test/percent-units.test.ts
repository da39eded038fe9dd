import { describe, expect, it } from "vitest";
import * as catalog from "../src/compiler/catalog/index.js";
import type { ArgSpec } from "../src/compiler/catalog/index.js";
import { bindArgs } from "../src/compiler/checker/args.js";
import { check } from "../src/compiler/index.js";
import { DiagnosticSink } from "../src/compiler/diagnostics/report.js";
import type * as A from "../src/compiler/syntax/ast.js";
import { INLINE_SPEC_PATH } from "./support/diagnose.js";
import { digitsSpec } from "./support/digits-spec.js";

/** Every argument of a call in the catalog, with what owns it. */
const callArgs: Array<{ owner: string; args: readonly ArgSpec[]; arg: ArgSpec }> = [...catalog.LAYERS, ...catalog.TECHNIQUES, ...catalog.FUNCTIONS].flatMap((entry) =>
  entry.args.map((arg) => ({ owner: entry.name, args: entry.args, arg })),
);

const span = { start: 0, end: 3 };

/** `owner(NAME: 50%)`, bound as the checker binds it. */
function bindPercent(owner: string, args: readonly ArgSpec[], name: string) {
  const value: A.NumberLit = { kind: "Number", value: 50, unit: "%", raw: "50%", span };
  const written: A.Arg = { kind: "Arg", name: { kind: "Identifier", name, span }, form: "named", value, span };
  const sink = new DiagnosticSink();
  const bound = bindArgs(owner, span, [written], args, { sink });
  return { value: bound.values[name], problems: sink.items.filter((d) => d.code === "REG2002" || d.code === "REG2001") };
}

function errors(text: string) {
  return check(text, { path: INLINE_SPEC_PATH }).diagnostics.filter((d) => d.severity === "error");
}

describe("a percentage", () => {
  const fractions = callArgs.filter(({ arg }) => arg.type.kind === "number" && arg.min !== undefined && arg.min >= 0 && arg.max !== undefined && arg.max <= 1);

  it("is taken as a fraction by every argument whose range lies in [0, 1]", () => {
    // The probabilities and shares that users reach for in percent are all among them.
    expect(fractions.map(({ owner, arg }) => `${owner}.${arg.name}`)).toEqual(expect.arrayContaining(["dropout.rate", "label_smoothing.epsilon", "pseudo_label.threshold", "kl_sparsity.target", "fgsm.weight"]));
    for (const { owner, args, arg } of fractions) {
      expect(bindPercent(owner, args, arg.name), `${owner}(${arg.name}: 50%)`).toEqual({ value: 0.5, problems: [] });
    }
  });

  it("smooths labels as the same fraction written plainly does", () => {
    const spec = (epsilon: string) => digitsSpec({ regularize: [`label_smoothing(${epsilon})`] });
    expect(errors(spec("10%"))).toEqual([]);
    const smoothing = (text: string) => check(text, { path: INLINE_SPEC_PATH }).program.regularize.flatMap((block) => block.uses).find((use) => use.technique.name === "label_smoothing")!.call.values;
    expect(smoothing(spec("10%"))["epsilon"]).toBeCloseTo(0.1, 12);
    expect(smoothing(spec("0.1"))["epsilon"]).toBe(0.1);
  });

  it("on an argument that takes no unit, says to write it without one and where `%` belongs", () => {
    const [found] = errors(digitsSpec({ regularize: ["l2(10%) on *.kernel"] }));
    expect(found?.code).toBe("REG2002");
    expect(found?.message).toBe("`l2` argument `alpha` expects a number without a unit, got `10%`");
    expect(found?.hint).toBe("write it without `%`: a percentage is for arguments in [0, 1] (`dropout(50%)`, `label_smoothing(10%)`) and lengths (`crop: 10%`)");
    const [count] = errors(digitsSpec({ regularize: ["l2(1e-4) on *.kernel"] }).replace("epochs    2", "epochs    50%"));
    expect(count?.message).toBe("`epochs` expects an integer without a unit, got `50%`");
  });

  it("is the unit a fraction argument names when given another", () => {
    const [found] = errors(digitsSpec({ regularize: ["label_smoothing(2px)"] }));
    expect(found?.message).toBe("`label_smoothing` argument `epsilon` expects a fraction (e.g. `0.1` or `10%`), got `2px`");
  });

  it("is refused past 100% by the argument's range, as the fraction would be", () => {
    const [found] = errors(digitsSpec({ regularize: ["label_smoothing(150%)"] }));
    expect(found?.code).toBe("REG2001");
    expect(found?.message).toContain("1.5");
  });
});
