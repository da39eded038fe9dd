import { describe, expect, it } from "vitest";
import type { FinalMetrics, History } from "../../src/runtime/run/history.js";
import { renderReport } from "../../src/runtime/run/report.js";
import { CHART_LAYOUT, renderLineChart } from "../../src/runtime/run/svg-chart.js";

const history: History = {
  spec: "examples/mnist.reg",
  backend: "cpu",
  seed: 42,
  stopped: "early_stop at epoch 3 (best 2)",
  epochs: [
    { epoch: 1, phase: "train", learningRate: 0.01, seconds: 2, train: { loss: 1, accuracy: 0.5 }, val: { loss: 1.2, accuracy: 0.4 } },
    { epoch: 2, phase: "train", learningRate: 0.01, seconds: 2, train: { loss: 0.5, accuracy: 0.7 }, val: { loss: 0.6, accuracy: 0.6 } },
    { epoch: 3, phase: "train", learningRate: 0.01, seconds: 2.5, train: { loss: 0.25, accuracy: 0.9 }, val: { loss: 0.4, accuracy: 0.8 } },
  ],
};

const metrics: FinalMetrics = {
  spec: "examples/mnist.reg",
  backend: "cpu",
  splits: { train: { loss: 0.5, accuracy: 0.7 }, val: { loss: 0.6, accuracy: 0.6 }, test: { loss: 0.61234, accuracy: 0.881 } },
  extra: { mc_dropout: { accuracy: 0.875 } },
};

const html = renderReport(history, metrics, {
  title: "mnist <digits> & co",
  specText: "model m { dense(10) } # x < y",
  code: "const a = b < c;",
});

/** The SVG of the chart titled `title`. */
function chart(title: string): string {
  const svg = html.match(new RegExp(`<svg[^>]*aria-label="${title}".*?</svg>`, "s"))?.[0];
  expect(svg, `chart ${title}`).toBeDefined();
  return svg!;
}

function polylines(svg: string): string[] {
  return [...svg.matchAll(/<polyline points="([^"]*)"/g)].map((match) => match[1]!);
}

describe("renderReport", () => {
  it("draws one chart for the loss, one per other metric, and the learning rate", () => {
    expect([...html.matchAll(/<svg[^>]*aria-label="([^"]*)"/g)].map((match) => match[1])).toEqual(["loss", "accuracy", "learning rate"]);
  });

  it("draws a one-task run's metrics once, not again under the task's name", () => {
    const named = (metrics: Record<string, number>, task: string) => ({ ...metrics, ...Object.fromEntries(Object.entries(metrics).map(([name, value]) => [`${task}_${name}`, value])) });
    const oneTask: History = { ...history, epochs: history.epochs.map((record) => ({ ...record, train: named(record.train, "digit"), val: named(record.val!, "digit") })) };
    const page = renderReport(oneTask, { ...metrics, splits: { test: named(metrics.splits["test"]!, "digit") } }, { title: "t" });
    expect([...page.matchAll(/<svg[^>]*aria-label="([^"]*)"/g)].map((match) => match[1])).toEqual(["loss", "accuracy", "learning rate"]);
    expect(page).toContain("<tr><th>split</th><th>loss</th><th>accuracy</th></tr>");
    // Two tasks have no bare metrics: each task's own are its charts.
    const twoTasks: History = { ...history, epochs: history.epochs.map((record) => ({ ...record, train: { loss: 1, a_loss: 0.5, a_rmse: 2, b_loss: 0.5, b_accuracy: 0.5 }, val: undefined })) };
    const titles = [...renderReport(twoTasks, metrics, { title: "t" }).matchAll(/<svg[^>]*aria-label="([^"]*)"/g)].map((match) => match[1]);
    expect(titles).toEqual(["loss", "a_loss", "a_rmse", "b_loss", "b_accuracy", "learning rate"]);
  });

  it("is self-contained: no scripts, links, imports or network addresses", () => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|src=|href=|url\(|@import|http/i);
  });

  it("escapes text from the run and the spec", () => {
    expect(html).toContain("<title>mnist &lt;digits&gt; &amp; co</title>");
    expect(html).toContain("<h1>mnist &lt;digits&gt; &amp; co</h1>");
    expect(html).toContain("# x &lt; y");
    expect(html).toContain("const a = b &lt; c;");
    expect(html).not.toContain("<digits>");
  });

  it("plots train and val at hand-computed coordinates", () => {
    // Plot area x 60..620 for epochs 1..3; y 32..256 for the widened value range.
    // Loss 0.25..1.2 → ticks of 0.2 from 0.2 to 1.2: y = 32 + (1.2 − v) / 1.0 × 224.
    expect(polylines(chart("loss"))).toEqual(["60,76.8 340,188.8 620,244.8", "60,32 340,166.4 620,211.2"]);
    // Accuracy 0.4..0.9 → ticks of 0.1: y = 32 + (0.9 − v) / 0.5 × 224.
    expect(polylines(chart("accuracy"))).toEqual(["60,211.2 340,121.6 620,32", "60,256 340,166.4 620,76.8"]);
  });

  it("labels the axes with ticks and the series with a legend", () => {
    const loss = chart("loss");
    for (const tick of ["0.2", "0.4", "0.6", "0.8", "1.0", "1.2"]) expect(loss).toContain(`>${tick}</text>`);
    for (const epoch of ["1", "2", "3"]) expect(loss).toContain(`text-anchor="middle">${epoch}</text>`);
    expect(loss).toContain(">epoch</text>");
    expect(loss).toContain(">train</text>");
    expect(loss).toContain(">val</text>");
  });

  it("marks the best epoch that early stopping reports, circling each curve there", () => {
    const loss = chart("loss");
    expect(loss).toContain('<line class="guide" x1="340" y1="32" x2="340" y2="256"/>');
    expect(loss).toContain(">best (epoch 2)</text>");
    expect(loss).toMatch(/<circle cx="340" cy="166.4" r="4"/);
    expect(html).toContain("<tr><th>best epoch</th><td>2 (kept by early stopping)</td></tr>");
  });

  it("without early stopping, marks the epoch of the lowest validation loss", () => {
    const rising: History = { ...history, stopped: undefined, epochs: history.epochs.map((record, i) => ({ ...record, val: { loss: [0.9, 0.5, 0.7][i]!, accuracy: 0.5 } })) };
    const page = renderReport(rising, metrics, { title: "t" });
    expect(page).toContain(">best (epoch 2)</text>");
    expect(page).toContain("<tr><th>best epoch</th><td>2 (lowest val loss, 0.5000)</td></tr>");
  });

  it("tabulates final metrics per split and the run's facts", () => {
    expect(html).toContain("<tr><th>split</th><th>loss</th><th>accuracy</th></tr>");
    expect(html).toContain("<tr><th>test</th><td>0.6123</td><td>0.8810</td></tr>");
    expect(html).toContain("<tr><th>mc_dropout</th><td>0.8750</td></tr>");
    expect(html).toContain("<tr><th>backend</th><td>cpu</td></tr>");
    expect(html).toContain("<tr><th>seed</th><td>42</td></tr>");
    expect(html).toContain("<tr><th>epochs</th><td>3</td></tr>");
    expect(html).toContain("<tr><th>training time</th><td>0:07</td></tr>");
    expect(html).toContain("<tr><th>stopped</th><td>early_stop at epoch 3 (best 2)</td></tr>");
  });

  it("counts epochs per phase and marks where a second phase starts", () => {
    const [first, second] = history.epochs;
    const phased: History = { ...history, stopped: undefined, epochs: [first!, second!, { ...first!, phase: "retrain_all" }] };
    const page = renderReport(phased, metrics, { title: "t" });
    expect(page).toContain("<tr><th>epochs</th><td>2 train + 1 retrain_all</td></tr>");
    expect(page).toContain('<line class="guide" x1="620" y1="32" x2="620" y2="256"/>');
    expect(page).toContain(">retrain_all</text>");
  });
});

describe("renderLineChart", () => {
  const { left, top, width, right, height, bottom } = CHART_LAYOUT;

  it("breaks a line where a value is not finite and dots a lone point", () => {
    const svg = renderLineChart({
      title: "loss",
      xLabel: "epoch",
      series: [{ name: "train", color: "red", points: [[1, 1], [2, 2], [3, Number.NaN], [4, 2], [5, Number.POSITIVE_INFINITY]] }],
    });
    // x: 1..5 over 60..620 (140 per epoch); y: 1..2 with ticks of 0.2, 2 at the top, 1 at the bottom.
    expect(polylines(svg)).toEqual([`${left},${height - bottom} 200,${top}`]);
    expect(svg).toContain(`<circle cx="480" cy="${top}" r="2.5" fill="red"/>`);
    expect(svg).toContain(`viewBox="0 0 ${width} ${height}"`);
    expect(width - right).toBe(620);
  });

  it("draws a one-epoch run as a dot in the middle", () => {
    const svg = renderLineChart({ title: "loss", xLabel: "epoch", series: [{ name: "train", color: "red", points: [[1, 0.5]] }] });
    expect(svg).toContain('<circle cx="340" cy="144" r="2.5" fill="red"/>');
  });

  it("says so when there is nothing finite to draw", () => {
    const svg = renderLineChart({ title: "loss", xLabel: "epoch", series: [{ name: "train", color: "red", points: [[1, Number.NaN]] }] });
    expect(svg).toContain("no finite values");
    expect(svg).not.toContain("<polyline");
  });
});
