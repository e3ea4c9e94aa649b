/**
 * The de-duplication of dimension rows as a transform writes them (tasks/transform/staged-outputs.ts):
 * a dimension keyed by one integer id writes each id once however far apart its repeats are; one
 * keyed by text remembers only the last DIMENSION_MEMORY keys, so memory stays flat.
 */
import { DEFAULT_PART_LIMITS, type StagedOutput } from '../tasks/core/lake/staged-writer';
import { stagedDataset } from '../tasks/core/staged';
import { DIMENSION_MEMORY, StagedOutputs } from '../tasks/transform/staged-outputs';
import { MAPPINGS } from '../tasks/transform/sources/index';
import { fileLake, readGzipText, removeTemporaryDirectories } from './transform-support';

afterAll(removeTemporaryDirectories);

/** Writes `rows` of one dataset (values in the contract's column order) and returns what was staged. */
async function written(source: 'credits' | 'movies', dataset: string, rows: Array<Array<string | null>>): Promise<{ output: StagedOutput; lines: string[] }> {
  const lake = await fileLake();
  const outputs = new StagedOutputs(lake, MAPPINGS[source], 'r1', DEFAULT_PART_LIMITS);
  for (const values of rows) {
    outputs.write([{ dataset, values }]);
    if (outputs.needsSettle) await outputs.settle();
  }
  const output = (await outputs.close())[dataset] as StagedOutput;
  const lines = [];
  for (const key of output.objects) lines.push(...(await readGzipText(lake, key)).split('\n').slice(1, -1));
  return { output, lines };
}

describe('dimension rows a transform writes', () => {
  it('a person seen again after more than DIMENSION_MEMORY others is not written again; an id too large for the bitset is remembered among the recent keys', async () => {
    expect(stagedDataset('people').columns.map((column) => column.name)).toEqual(['person_id', 'name', 'gender', 'profile_path']);
    const people = Array.from({ length: DIMENSION_MEMORY + 10 }, (_unused, index) => [String(index + 1), `p${index + 1}`, '2', null]);
    const repeats = [['1', 'p1 again', '2', null], [String(DIMENSION_MEMORY + 10), 'last again', '1', null]];
    // Not an id the bitset takes (past its largest): remembered as text among the recent keys.
    const huge = [['9999999999', 'huge', null, null], ['9999999999', 'huge again', null, null]];
    const { output, lines } = await written('credits', 'people', [...people, ...repeats, ...huge]);
    expect(output.rows).toBe(DIMENSION_MEMORY + 11);
    expect(lines.filter((line) => line.startsWith('1,'))).toEqual(['1,p1,2,']);
    expect(lines.filter((line) => line.startsWith('9999999999,'))).toEqual(['9999999999,huge,,']);
  });

  it('a country (a text key) seen again after DIMENSION_MEMORY other keys is written again: the load keeps one', async () => {
    expect(stagedDataset('countries').key).toEqual(['country_code']);
    const codes = Array.from({ length: DIMENSION_MEMORY + 1 }, (_unused, index) => [`c${index}`, `country ${index}`]);
    const { output, lines } = await written('movies', 'countries', [['US', 'United States'], ['US', 'United States'], ...codes, ['US', 'United States']]);
    expect(lines.filter((line) => line.startsWith('US,'))).toHaveLength(2);
    expect(output.rows).toBe(DIMENSION_MEMORY + 3);
  });
});
