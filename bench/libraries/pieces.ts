/**
 * Each hand-written piece and the library that does the same job, as pairs of functions over the
 * same input. Each returns a count the two must agree on (records read, rows written, bytes
 * downloaded), so a pair that does not do the same work is caught, not measured.
 */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createGzip } from 'node:zlib';
import { parse as csvParse } from 'csv-parse';
import { format as fastCsvFormat, parse as fastCsvParse } from 'fast-csv';
import { downloadToFile } from '../../tasks/core/http';
import { GzipCsvObject } from '../../tasks/core/lake/gzip-csv-object';
import type { Lake } from '../../tasks/core/lake/lake';
import type { Logger } from '../../tasks/core/log';
import { readCsvRecords } from '../../tasks/transform/csv-reader';
import { chunksOf, type SourceInput } from './inputs';

export type Run = () => Promise<number>;

export const csvReader = {
  ours: (input: SourceInput): Run => async () => {
    let records = 0;
    for await (const record of readCsvRecords(chunksOf(input.bytes), { object: input.name, fields: input.records[0]?.length })) records += record.line > 0 ? 1 : 0;
    return records;
  },
  fastCsv: (input: SourceInput): Run => async () => {
    let records = 0;
    for await (const row of Readable.from(chunksOf(input.bytes)).pipe(fastCsvParse({ ignoreEmpty: true }))) records += row ? 1 : 0;
    return records;
  },
  /** With the line numbers and raw text our reader gives (info, raw), and Python's lenient quoting. */
  csvParse: (input: SourceInput): Run => async () => {
    let records = 0;
    const options = { bom: true, info: true, raw: true, relax_quotes: true, relax_column_count: true, skip_empty_lines: true };
    for await (const row of Readable.from(chunksOf(input.bytes)).pipe(csvParse(options))) records += row ? 1 : 0;
    return records;
  },
};

/** Staged rows to a gzip CSV object in the lake, at the staged writer's gzip level. */
export const stagedWriter = {
  ours: (rows: readonly string[][], lake: Lake): Run => async () => {
    const [header = [], ...body] = rows;
    const object = new GzipCsvObject(lake, 'ours.csv.gz', header);
    for (const row of body) {
      object.write(row);
      if (object.needsDrain) await object.drain();
    }
    return object.close().then(() => object.rows);
  },
  fastCsvZlib: (rows: readonly string[][], lake: Lake): Run => async () => {
    const formatter = fastCsvFormat({ quote: '"', escape: '"' });
    const stored = lake.put('fast-csv.csv.gz', formatter.pipe(createGzip({ level: 3 })));
    let written = -1;
    for (const row of rows) {
      if (!formatter.write(row)) await new Promise((resolve) => formatter.once('drain', resolve));
      written++;
    }
    formatter.end();
    await stored;
    return written;
  },
};

/** A download of `body` from a local server: downloadToFile (retries, redirects, metering) against a bare fetch. */
export async function startServer(body: Buffer): Promise<{ url: string; server: Server }> {
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-length': body.length });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/file.csv`, server };
}

export const download = {
  ours: (url: string, file: string, logger: Logger): Run => async () => {
    const config = { retry: { attempts: 5, backoffMs: 1000, maxWaitMs: 60_000 }, timeoutMs: 60_000 };
    return (await downloadToFile({ url, what: 'bench file' }, file, config, logger)).bytes;
  },
  fetch: (url: string, file: string): Run => async () => {
    const response = await fetch(url);
    if (!response.body) throw new Error('no body');
    const hash = createHash('sha256');
    let bytes = 0;
    const meter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>), meter, createWriteStream(file));
    hash.digest('hex');
    return bytes;
  },
};
