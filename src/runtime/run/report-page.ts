import { escapeHtml } from "./escape-html.js";

/** What every report page's style holds: its text, tables and charts. */
const SHARED_STYLE = `
body { font: 14px/1.45 system-ui, sans-serif; color: #222; max-width: 1320px; margin: 2em auto; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.5em; }
table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
th, td { padding: 0.25em 0.9em; border-bottom: 1px solid #ddd; text-align: left; }
table.metrics td { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: flex; flex-wrap: wrap; gap: 1em; }
svg.chart { max-width: 100%; height: auto; border: 1px solid #eee; background: #fff; }
svg text { font: 12px system-ui, sans-serif; fill: #444; }
svg text.title { font-weight: 600; font-size: 14px; fill: #222; }
svg.chart .axis, svg.chart .tick { stroke: #888; }
svg.chart .grid { stroke: #eee; }
`;

/**
 * A report page (a run's, an ablation's, a tuning's): `title` as its title
 * and heading, then `body`. Its style, the shared one and the page's own,
 * is inline, so the page opens offline.
 */
export function reportPage(title: string, style: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${SHARED_STYLE}${style}</style>
</head>
<body>
<h1>${escapeHtml(title)}</h1>
${body}
</body>
</html>
`;
}
