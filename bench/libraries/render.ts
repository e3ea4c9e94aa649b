/**
 * The library table as Markdown, with the verdict of the rule: a hand-written piece stays only
 * where it makes its step at least 1.5× faster and that step is on the critical path
 * (extract → transform movies → load movies → load ratings → quality check → report), or where
 * no library does the job.
 */
import type { MachineInfo } from '../machine';
import type { LibrariesResult, LibraryRow } from './index';

export const STEP_SPEEDUP_TO_KEEP = 1.5;

/** The step's time with the library in place of our piece, over the step's time with ours. */
export function stepRatio(row: LibraryRow): number {
  return (row.stepSeconds + row.librarySeconds - row.oursSeconds) / row.stepSeconds;
}

export function verdict(row: LibraryRow): string {
  if (!row.criticalPath) return 'off the critical path';
  return stepRatio(row) >= STEP_SPEEDUP_TO_KEEP ? 'keeps the step ≥ 1.5× faster' : 'step < 1.5× faster';
}

export function renderLibraries(result: LibrariesResult, machine: MachineInfo, startedAt: string): string {
  const seconds = (value: number) => value.toFixed(value < 1 ? 3 : 2);
  const header = '| piece | library | input | ours (s) | library (s) | library / ours | step | step (s) | step with library / ours | rule |';
  const rows = result.rows.map(
    (row) =>
      `| ${row.piece} | ${row.library} | ${row.input} | ${seconds(row.oursSeconds)} | ${seconds(row.librarySeconds)} | ` +
      `${(row.librarySeconds / row.oursSeconds).toFixed(2)}× | ${row.step}${row.criticalPath ? ' (critical)' : ''} | ${seconds(row.stepSeconds)} | ` +
      `${stepRatio(row).toFixed(2)}× | ${verdict(row)} |`,
  );
  return [
    `## Libraries against the hand-written pieces (${machine.versions.movalytics ?? 'unknown commit'}, ${startedAt})`,
    '',
    `Median of ${result.rounds} rounds; in each round ours and the library's ran one after the other on the same input ` +
      `(the order alternating), in one Node process. Load average (1 min) ${result.loadAverage.start.toFixed(1)} at the start, ` +
      `${result.loadAverage.end.toFixed(1)} at the end, on ${machine.cores} cores (${machine.cpu}), Node ${process.version}.`,
    '',
    header,
    '| --- | --- | --- | ---: | ---: | ---: | --- | ---: | ---: | --- |',
    ...rows,
    '',
  ].join('\n');
}
