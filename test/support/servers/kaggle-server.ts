/**
 * A local stand-in for the Kaggle API and the storage host it redirects to, as two HTTP servers on
 * 127.0.0.1 (two origins), behaving like the real pair:
 *
 *   GET {api}/datasets/download/{owner}/{dataset}   HTTP Basic auth (401 on a bad or missing one),
 *       404 for an unknown dataset, else 302 to a signed URL on the storage host;
 *   GET {storage}/{owner}/{dataset}/archive.zip?…&Signature=…   the zip, only with a signature the
 *       API issued; a request carrying `Authorization` is refused (400) and recorded as a violation;
 *   GET {storage}/public/{owner}/{dataset}.zip   the zip without signature (a plain "URL of the zip").
 *
 * Knobs: `apiFaults` / `storageFaults` (consumed one per request: an error status with Retry-After,
 * or a body cut short), and any dataset bytes, e.g. a truncated zip. Run it alone with
 * `node kaggle-server.js <folder> [owner/dataset]` (credentials from KAGGLE_USERNAME/KAGGLE_KEY).
 */
import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import yazl from 'yazl';
import { answerWithStatus, closeServer, json, listen, send, type Fault, type StandIn } from './stand-in';

export interface KaggleServerOptions {
  username: string;
  key: string;
  /** Dataset reference (`owner/name`) → the bytes of its zip (whole, truncated, anything). */
  datasets: Record<string, Buffer>;
}

export interface RecordedRequest {
  host: 'api' | 'storage';
  path: string;
  authorization: boolean;
}

export interface KaggleServer extends StandIn {
  /** Give this as `--kaggle-api-url`. */
  apiUrl: string;
  storageUrl: string;
  /** Push faults here; each request to the API takes the first one. */
  readonly apiFaults: Fault[];
  /** Push faults here; each request to the storage host takes the first one. */
  readonly storageFaults: Fault[];
  readonly requests: RecordedRequest[];
  /** Rules a client broke (e.g. sent Authorization to the storage host); a test expects none. */
  readonly violations: string[];
  /** An unsigned URL of the dataset's zip on the storage host. */
  publicUrl(dataset: string): string;
}

export async function startKaggleServer(options: KaggleServerOptions): Promise<KaggleServer> {
  const signatures = new Set<string>();
  const state = {
    apiFaults: [] as Fault[],
    storageFaults: [] as Fault[],
    requests: [] as RecordedRequest[],
    violations: [] as string[],
  };
  const storage = await listen((request, response) => serveStorage(request, response));
  const api = await listen((request, response) => serveApi(request, response));
  const expectedAuthorization = `Basic ${Buffer.from(`${options.username}:${options.key}`).toString('base64')}`;

  function record(host: RecordedRequest['host'], request: IncomingMessage): URL {
    const url = new URL(request.url ?? '/', 'http://stand-in');
    state.requests.push({ host, path: url.pathname, authorization: request.headers.authorization !== undefined });
    return url;
  }

  function serveApi(request: IncomingMessage, response: ServerResponse): void {
    const url = record('api', request);
    if (answerWithStatus(state.apiFaults.shift(), response)) return;
    const match = /^\/api\/v1\/datasets\/download\/([^/]+)\/([^/]+)$/.exec(url.pathname);
    if (!match) return json(response, 404, { code: 404, message: 'Not found' });
    if (request.headers.authorization !== expectedAuthorization) {
      return json(response, 401, { code: 401, message: 'Unauthenticated' });
    }
    const dataset = `${decodeURIComponent(match[1] ?? '')}/${decodeURIComponent(match[2] ?? '')}`;
    if (options.datasets[dataset] === undefined) return json(response, 404, { code: 404, message: 'Not found' });
    const signature = randomBytes(16).toString('hex');
    signatures.add(signature);
    const expires = Math.floor(Date.now() / 1000) + 600;
    const location = `${storage.url}/${dataset}/archive.zip?GoogleAccessId=stand-in&Expires=${expires}&Signature=${signature}`;
    response.writeHead(302, { location });
    response.end();
  }

  function serveStorage(request: IncomingMessage, response: ServerResponse): void {
    const url = record('storage', request);
    if (request.headers.authorization !== undefined) {
      state.violations.push(`Authorization sent to the storage host for ${url.pathname}`);
      response.writeHead(400, { 'content-type': 'application/xml' });
      response.end('<Error><Code>InvalidArgument</Code><Message>Authorization must not be sent</Message></Error>');
      return;
    }
    const fault = state.storageFaults.shift();
    if (answerWithStatus(fault, response)) return;
    const dataset = datasetOfStoragePath(url, signatures);
    const zip = dataset === undefined ? undefined : options.datasets[dataset];
    if (zip === undefined) {
      response.writeHead(403, { 'content-type': 'application/xml' });
      response.end('<Error><Code>SignatureDoesNotMatch</Code></Error>');
      return;
    }
    send(response, zip, 'application/zip', fault);
  }

  return {
    url: api.url,
    apiUrl: `${api.url}/api/v1`,
    storageUrl: storage.url,
    ...state,
    publicUrl: (dataset) => `${storage.url}/public/${dataset}.zip`,
    close: async () => {
      await closeServer(api.server);
      await closeServer(storage.server);
    },
  };
}

/** `/owner/name/archive.zip` with a signature the API issued, or `/public/owner/name.zip`. */
function datasetOfStoragePath(url: URL, signatures: Set<string>): string | undefined {
  const publicMatch = /^\/public\/([^/]+\/[^/]+)\.zip$/.exec(url.pathname);
  if (publicMatch) return publicMatch[1];
  const signedMatch = /^\/([^/]+\/[^/]+)\/archive\.zip$/.exec(url.pathname);
  const signature = url.searchParams.get('Signature');
  return signedMatch && signature !== null && signatures.has(signature) ? signedMatch[1] : undefined;
}

export interface ZipInput {
  /** The entry's name inside the zip. */
  name: string;
  /** The file whose bytes it holds. */
  file: string;
  /** Deflate the entry (the default) or store it as it is. */
  compress?: boolean;
}

/** A deflated zip of `files`, built with yazl (small fixtures only: the zip is returned in memory). */
export async function buildZip(files: readonly ZipInput[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const { name, file, compress = true } of files) {
    zip.addFile(file, name, { mtime: new Date('2017-11-10T00:00:00Z'), compress });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Every file of a folder, as zip entries of the same names. */
export async function folderEntries(folder: string, only: (name: string) => boolean = () => true): Promise<ZipInput[]> {
  const names = (await readdir(folder, { withFileTypes: true })).filter((e) => e.isFile() && only(e.name)).map((e) => e.name);
  return names.sort().map((name) => ({ name, file: path.join(folder, name) }));
}

if (require.main === module) {
  const [folder, dataset = 'rounakbanik/the-movies-dataset'] = process.argv.slice(2);
  if (!folder) throw new Error('usage: node kaggle-server.js <folder> [owner/dataset]');
  void (async () => {
    const zip = await buildZip(await folderEntries(folder, (name) => name.endsWith('.csv')));
    const server = await startKaggleServer({
      username: process.env.KAGGLE_USERNAME ?? 'stand-in',
      key: process.env.KAGGLE_KEY ?? 'stand-in-key',
      datasets: { [dataset]: zip },
    });
    process.stdout.write(`${JSON.stringify({ url: server.url, apiUrl: server.apiUrl, storageUrl: server.storageUrl })}\n`);
    process.on('SIGTERM', () => void server.close().then(() => process.exit(0)));
  })();
}
