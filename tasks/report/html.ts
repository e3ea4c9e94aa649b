/** report.html: one self-contained page (inline SVG charts and CSS, no script, no network). */
import type { Chart } from './charts';
import type { Report } from './report';
import { answerTables, ledgerTable, type AnswerTable } from './tables';

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/** Which chart illustrates which table, in order. */
const CHART_OF_TABLE = ['highest-rated', 'popular-genres', 'box-office-by-month', 'box-office-by-quarter', 'genre-earnings-cpi'];

function tableHtml(table: AnswerTable): string {
  const head = table.columns.map((c, i) => `<th${table.numeric[i] ? ' class="n"' : ''}>${escape(c)}</th>`).join('');
  const rows = table.rows
    .map((r) => `<tr>${r.map((v, i) => `<td${table.numeric[i] ? ' class="n"' : ''}>${escape(v)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>\n${rows}\n</tbody></table>`;
}

export function renderHtml(report: Report, charts: Chart[]): string {
  const section = (table: AnswerTable, chart: Chart | undefined) => `<section>
<h2>${escape(table.title)}</h2>
${table.finding ? `<p class="finding">${escape(table.finding)}</p>\n` : ''}<p>${escape(table.note)}</p>
${chart ? `<figure class="chart" id="chart-${chart.id}">${chart.svg}</figure>` : ''}
${tableHtml(table)}
</section>`;
  const sections = [
    section(ledgerTable(report), undefined),
    ...answerTables(report).map((table, index) => section(table, charts.find((c) => c.id === CHART_OF_TABLE[index]))),
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Movalytics report — run ${escape(report.run_id)}</title>
<style>
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; color: #222; }
table { border-collapse: collapse; margin: 1rem 0 2rem; }
th, td { padding: .25rem .6rem; border-bottom: 1px solid #ddd; text-align: left; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
td:first-child { white-space: nowrap; }
figure.chart { margin: 1rem 0; }
p.finding { font-size: 1.1rem; font-weight: 600; border-left: 4px solid #3465a4; padding-left: .75rem; }
</style>
</head>
<body>
<h1>Movalytics report</h1>
<p>Run <code>${escape(report.run_id)}</code>, generated ${escape(report.generated_at)}.</p>
${sections.join('\n')}
</body>
</html>
`;
}
