/** The embedded warehouse's memory settings reach PostgreSQL, on a new data directory and on a reopened one. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGLITE_SETTINGS } from '../tasks/core/warehouse/pglite-settings';
import { PgliteWarehouse } from '../tasks/core/warehouse/pglite-warehouse';

let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'warehouse-pglite-settings-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function settingsInEffect(dataDir: string): Promise<Record<string, string>> {
  const warehouse = await PgliteWarehouse.open(dataDir);
  try {
    const inEffect: Record<string, string> = {};
    for (const name of Object.keys(PGLITE_SETTINGS)) {
      const [row] = await warehouse.query('SELECT current_setting(:name) AS value', { name });
      inEffect[name] = String(row?.value);
    }
    return inEffect;
  } finally {
    await warehouse.close();
  }
}

test('a new data directory runs with the settings, and so does the same directory reopened', async () => {
  const dataDir = path.join(directory, 'warehouse');
  expect(await settingsInEffect(dataDir)).toEqual({ shared_buffers: '16MB', maintenance_work_mem: '16MB', work_mem: '4MB' });
  expect(await settingsInEffect(dataDir)).toEqual(PGLITE_SETTINGS);
});
