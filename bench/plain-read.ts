/**
 * The floor of a transform: `node plain-read.js FILE` reads the file the way the file lake hands it
 * to a task (fs.createReadStream, default chunks), does nothing with the bytes, and prints how
 * many it read. Run as its own process, like a step, so both pay Node's start-up.
 */
import { createReadStream } from 'node:fs';

async function main(file: string | undefined): Promise<void> {
  if (!file) throw new Error('usage: plain-read.js FILE');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) bytes += (chunk as Buffer).length;
  process.stdout.write(`${bytes}\n`);
}

main(process.argv[2]).catch((error: unknown) => {
  process.stderr.write(`plain-read: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
