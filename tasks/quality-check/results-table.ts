/** The checks' results as a plain-text table for the log: one line per subject. */
import type { CheckResult } from './evaluate';

const HEADER = ['check', 'subject', 'value', 'expected', 'result'];

export function resultsTable(results: readonly CheckResult[]): string {
  const rows: string[][] = [];
  for (const result of results) {
    if (result.error !== undefined) rows.push([result.name, '(check could not run)', '', result.error, 'ERROR']);
    for (const subject of result.subjects) {
      rows.push([result.name, subject.subject, subject.value === null ? '-' : String(subject.value), subject.expected, subject.passed ? 'ok' : 'FAILED']);
    }
  }
  const widths = HEADER.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: string[]) => cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd();
  return [line(HEADER), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
