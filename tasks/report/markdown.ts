/** report.md: what went in and was left out, then the four answers (each opening with its finding), as Markdown tables. */
import type { Report } from './report';
import { answerTables, ledgerTable, renderTable, type AnswerTable } from './tables';

function section(table: AnswerTable): string {
  const finding = table.finding ? `**${table.finding}**\n\n` : '';
  return `## ${table.title}\n\n${finding}${table.note}\n\n${renderTable(table, 'markdown')}\n`;
}

export function renderMarkdown(report: Report): string {
  const sections = [ledgerTable(report), ...answerTables(report)].map(section);
  return `# Movalytics report — run ${report.run_id}\n\nGenerated ${report.generated_at}.\n\n${sections.join('\n')}`;
}
