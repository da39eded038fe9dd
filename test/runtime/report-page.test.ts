import { describe, expect, it } from "vitest";
import { reportPage } from "../../src/runtime/run/report-page.js";

describe("reportPage", () => {
  const page = reportPage("Tuning of <a> & b.reg", "tr.best { background: #eef6ee; }\n", "<p>body</p>");

  it("titles and heads the page with the title, escaped", () => {
    expect(page).toContain("<title>Tuning of &lt;a&gt; &amp; b.reg</title>");
    expect(page).toContain("<h1>Tuning of &lt;a&gt; &amp; b.reg</h1>\n<p>body</p>\n</body>\n</html>\n");
    expect(page.startsWith("<!doctype html>\n")).toBe(true);
  });

  it("holds the shared style, then the page's own, inline", () => {
    const style = /<style>([^]*)<\/style>/.exec(page)![1]!;
    expect(style).toContain("svg.chart .axis, svg.chart .tick { stroke: #888; }");
    expect(style.endsWith("tr.best { background: #eef6ee; }\n")).toBe(true);
    expect(page).not.toMatch(/<link|<script/);
  });
});
