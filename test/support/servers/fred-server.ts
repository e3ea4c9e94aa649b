/**
 * A local stand-in for FRED's CSV download, `GET /graph/fredgraph.csv?id={series}`, serving the
 * series it was given (404 for others). Knobs: `dateHeader` renames the date column of every served
 * file (FRED wrote `DATE` until late 2024 and `observation_date` since), and `faults` (consumed one
 * per request: an error status with Retry-After, or a body cut short).
 * Run it alone with `node fred-server.js <file.csv>...` (each file's header names its series).
 */
import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { answerWithStatus, closeServer, listen, send, type Fault, type StandIn } from './stand-in';

export interface FredServerOptions {
  /** Series id → the CSV served for it, as bytes. */
  series: Record<string, Buffer>;
}

export interface FredServer extends StandIn {
  /** Give this as `--fred-url`: `{url}/graph/fredgraph.csv?id={series}`. */
  fredUrlTemplate: string;
  /** The download URL of one series. */
  csvUrl(series: string): string;
  /** Rename the date column in served files; undefined serves the bytes as given. */
  dateHeader: 'DATE' | 'observation_date' | undefined;
  /** Push faults here; each request takes the first one. */
  readonly faults: Fault[];
  /** The series id of every request, in order. */
  readonly requests: string[];
}

export async function startFredServer(options: FredServerOptions): Promise<FredServer> {
  const { server: http, url } = await listen((request, response) => serve(request, response));
  const fred: FredServer = {
    url,
    fredUrlTemplate: `${url}/graph/fredgraph.csv?id={series}`,
    csvUrl: (series) => `${url}/graph/fredgraph.csv?id=${encodeURIComponent(series)}`,
    dateHeader: undefined,
    faults: [],
    requests: [],
    close: () => closeServer(http),
  };

  function serve(request: IncomingMessage, response: ServerResponse): void {
    const requested = new URL(request.url ?? '/', url);
    const series = requested.searchParams.get('id') ?? '';
    fred.requests.push(series);
    const fault = fred.faults.shift();
    if (answerWithStatus(fault, response)) return;
    const body = options.series[series];
    if (requested.pathname !== '/graph/fredgraph.csv' || body === undefined) {
      response.writeHead(404, { 'content-type': 'text/html' });
      response.end('<html><body>Series does not exist.</body></html>');
      return;
    }
    send(response, withDateHeader(body, fred.dateHeader), 'text/csv', fault);
  }

  return fred;
}

/** The CSV with its first column header replaced, every other byte as it was. */
export function withDateHeader(csv: Buffer, dateHeader: string | undefined): Buffer {
  if (dateHeader === undefined) return csv;
  const comma = csv.indexOf(',');
  return Buffer.concat([Buffer.from(dateHeader), csv.subarray(comma)]);
}

if (require.main === module) {
  void (async () => {
    const series: Record<string, Buffer> = {};
    for (const file of process.argv.slice(2)) {
      const body = await readFile(file);
      const header = body.subarray(0, body.indexOf('\n')).toString('utf8').trim();
      series[header.split(',')[1] ?? file] = body;
    }
    const server = await startFredServer({ series });
    process.stdout.write(`${JSON.stringify({ url: server.url, fredUrlTemplate: server.fredUrlTemplate })}\n`);
    process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
  })();
}
