/**
 * A process that opens an embedded warehouse and writes to it on demand: `node pglite-holder.js
 * <data directory> <lease ms>`. Prints `opened` once it holds the lock, then runs one INSERT for
 * every line read on stdin; a failure ends it with its exit code and message on stderr. Frozen
 * (SIGSTOP) past its lease by lock-namespaces.test.ts, it must find its lock taken over.
 */
import { createInterface } from 'node:readline';
import { describeError, exitCodeFor } from '../../tasks/core/errors';
import { PgliteWarehouse } from '../../tasks/core/warehouse/pglite-warehouse';

async function main(): Promise<void> {
  const [directory, lease] = process.argv.slice(2);
  if (directory === undefined || lease === undefined) throw new Error('usage: pglite-holder <data directory> <lease ms>');
  const warehouse = await PgliteWarehouse.open(directory, undefined, { timeoutMs: 0, leaseMs: Number(lease) });
  await warehouse.execute('CREATE TABLE IF NOT EXISTS frozen_writes (n integer)');
  process.stdout.write('opened\n');
  const requests = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  while (!(await requests.next()).done) {
    try {
      await warehouse.execute('INSERT INTO frozen_writes VALUES (1)');
      process.stdout.write('wrote\n');
    } catch (error) {
      process.stderr.write(`${describeError(error)}\n`);
      await warehouse.close();
      process.exit(exitCodeFor(error));
    }
  }
}

void main();
