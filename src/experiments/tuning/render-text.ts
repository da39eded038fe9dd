import { join } from "node:path";
import { metricColumnFormat } from "../metric-column.js";
import { plural } from "../../shared/plural.js";
import { trainCommand } from "./best-spec.js";
import { bestQualifier, type TuningDocument } from "./document.js";

/**
 * The tuning as a terminal reads it: one line per trial, then the best point and the command that trains it, both
 * said to be the best so far while the tuning is incomplete. `resume` is the command that continues it, said then too.
 */
export function renderTuningText(document: TuningDocument, folder: string, resume: string): string {
  const { objective } = document;
  const names = document.plan.spaces.map((d) => d.name);
  const header = ["trial", ...names, objective.metric, "epochs", "status"];
  const objectiveText = metricColumnFormat(document.trials.map((t) => t.objective));
  const rows = document.trials.map((t) => [
    String(t.trial),
    ...names.map((n) => String(t.point[n])),
    t.objective === null ? "—" : objectiveText(t.objective),
    String(t.epochs),
    t.status,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd();
  const lines = [
    `tuning of ${document.spec}: ${objective.direction} ${objective.metric}, method ${document.method}, seed ${document.seed}, ${plural(document.trials.length, "trial")}, ${plural(document.epochsTrained, "epoch")} trained`,
    "",
    line(header),
    ...rows.map(line),
    "",
  ];
  if (!document.complete) lines.push(`incomplete: continue with \`${resume}\``);
  lines.push(`folder: ${folder}`);
  const best = document.best;
  const qualifier = bestQualifier(document);
  if (best) {
    lines.push(`best${qualifier}: trial ${best.trial}, ${objective.metric} ${objectiveText(best.objective)} after ${plural(best.epochs, "epoch")}`);
    for (const [name, value] of Object.entries(best.point)) lines.push(`  ${name} = ${value}`);
    lines.push(`${document.complete ? "train it" : "train the best so far"}: ${trainCommand(join(folder, "best.reg"))}`);
  } else {
    lines.push(`best${qualifier}: no trial reported the objective`);
  }
  return `${lines.join("\n")}\n`;
}
