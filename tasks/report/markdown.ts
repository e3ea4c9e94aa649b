/** report.md: what went in and was left out, then the four answers, as Markdown tables. */
import type { Report } from './report';
import { answerTables, ledgerTable, renderTable } from './tables';

export function renderMarkdown(report: Report): string {
  const sections = [ledgerTable(report), ...answerTables(report)].map((t) => `## ${t.title}\n\n${t.note}\n\n${renderTable(t, 'markdown')}\n`);
  return `# Movalytics report — run ${report.run_id}\n\nGenerated ${report.generated_at}.\n\n${sections.join('\n')}`;
}
