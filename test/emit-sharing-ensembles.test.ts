import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { check } from "../src/compiler/index.js";
import { emitTypeScript } from "../src/compiler/emit/emit.js";
import { EXAMPLES_DIR } from "./support/examples.js";

/**
 * §7.9 and §7.11 in generated code: hard ties built into the model, soft
 * ties with their operands, and bagging's loop over members in `main`.
 */

async function compile(example: string, edit: (text: string) => string = (text) => text): Promise<string> {
  const path = join(EXAMPLES_DIR, `${example}.reg`);
  const text = edit(readFileSync(path, "utf8"));
  const checked = check(text, { path });
  expect(checked.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  const emitted = await emitTypeScript({ checked, text, specPath: path, outDir: join(EXAMPLES_DIR, "out") });
  if (!emitted.ok) throw new Error(emitted.diagnostics.map((d) => d.message).join("\n"));
  return emitted.code;
}

/** Code without layout, so that prettier's line breaks do not matter. */
const flat = (code: string) => code.replace(/\s+/g, "").replace(/,([}\])])/g, "$1");

describe("sharing and ensembles in generated code", () => {
  it("example E: the tie is an option of the model, not a technique", async () => {
    const code = await compile("e-tied-autoencoder");
    expect(flat(code)).toContain(flat('], seed, { ties: [ // tie(dec.kernel, transpose(enc.kernel)) — e-tied-autoencoder.reg:24\n reg.tie("dec.kernel", reg.transpose("enc.kernel")) ] });'));
    expect(code).not.toMatch(/return \[[^\]]*reg\.tie\(/);
  });

  it("a clause naming a tied parameter acts on the variable it uses, once", async () => {
    const code = await compile("e-tied-autoencoder", (text) => text.replace("  kl_sparsity(", "  l2(1e-4) on *.kernel\n  l1(1e-5) on dec.kernel\n  kl_sparsity("));
    expect(code).toContain('reg.l2(0.0001, { on: ["enc.kernel"] })');
    expect(code).toContain('reg.l1(0.00001, { on: ["enc.kernel"] })');
  });

  it("soft_tie passes its operands as the runtime takes them, transposes included", async () => {
    const code = await compile("e-tied-autoencoder", (text) => text.replace("tie(dec.kernel, transpose(enc.kernel))", "soft_tie(transpose(dec.kernel), enc.kernel, weight: 0.01)"));
    expect(code).toContain('reg.softTie(reg.transpose("dec.kernel"), "enc.kernel", { weight: 0.01 })');
    expect(code).not.toContain("ties:");
  });

  it("example D: main trains one model per bagging member and finishes with the ensemble", async () => {
    const written = await compile("d-multitask-cars");
    expect(written.slice(written.indexOf("function sharedTechniques"), written.indexOf("async function main"))).not.toContain("bagging(");
    const code = flat(written);
    expect(code).toContain(flat('const ensemble = run.ensemble(reg.bagging({ members: 5, combine: "average" }), data);'));
    expect(code).toContain(flat("for (const member of ensemble.members) {"));
    expect(code).toContain(flat("const model = buildShared(member.seed);"));
    expect(code).toContain(flat("const trainer = await member.trainer({ model, data: member.data, tasks, techniques: sharedTechniques(),"));
    expect(code).toContain(flat("seed: member.seed });"));
    expect(code).toContain(flat("await member.finish(trainer);"));
    expect(code).toContain(flat("return run.finishEnsemble(ensemble);"));
  });

  it("snapshot_ensemble is a technique of the one training loop", async () => {
    const code = await compile("a-mlp-dropout-maxnorm", (text) => text.replace("  early_stop(", "  snapshot_ensemble(cycles: 3)\n  early_stop("));
    expect(code).toContain("reg.snapshotEnsemble({ cycles: 3 })");
    expect(code).toContain("return run.finish(trainer);");
  });
});
