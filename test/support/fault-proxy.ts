/**
 * A small fault-injecting proxy on 127.0.0.1, for the reliability suite: it sits in front of a
 * real server and breaks some of the traffic the way networks and servers break it.
 *
 * - HTTP mode (`startHttpFaultProxy`), in front of an S3 server (s3rver, MinIO): every request is
 *   forwarded unchanged (headers included, so SigV4 signatures stay valid) unless the fault plan
 *   picks a fault for it: an S3 error status (500 InternalError, 503 SlowDown), a connection reset
 *   before any answer, a stall (the request is never answered), or, on the upstream's answer, a
 *   reset or a stall after some body bytes. Every request and its fault is recorded.
 * - TCP mode (`startTcpFaultProxy`), in front of PostgreSQL: bytes pass both ways until the test
 *   cuts the connections, at once (`cutAll`) or once a connection has sent a number of bytes
 *   (`cutAfterClientBytes`, e.g. in the middle of a COPY).
 *
 * Plans are deterministic: `fractionOfRequests` draws from a seeded generator and never fails the
 * same request (method and path) more than `maxInARow` times in a row, so an SDK that retries
 * enough always gets through; `everyRequest` fails whatever matches, so a task must give up.
 */
import { once } from 'node:events';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, connect, type Server as TcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Random } from '../../tasks/generate-sample/random';

export type HttpFault =
  /** Answer with an S3 error: 500 InternalError or 503 SlowDown. */
  | { kind: 'status'; status: 500 | 503 }
  /** Reset the client's connection before answering. */
  | { kind: 'reset' }
  /** Never answer (the client must time out). */
  | { kind: 'stall' }
  /** Forward the upstream's answer, but reset the connection after this many body bytes. */
  | { kind: 'reset-body'; afterBytes: number }
  /** Forward the upstream's answer, but stop sending after this many body bytes (never end it). */
  | { kind: 'stall-body'; afterBytes: number };

export interface ProxiedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
}

export interface RecordedRequest extends ProxiedRequest {
  /** The fault applied, or undefined when the request was forwarded untouched. */
  fault: HttpFault['kind'] | undefined;
}

/** Chooses the fault (if any) for each request, in arrival order. */
export type FaultPlan = (request: ProxiedRequest) => HttpFault | undefined;

export interface HttpFaultProxy {
  /** The proxy's endpoint, e.g. `http://127.0.0.1:40123`: give it to the client instead of the upstream's. */
  url: string;
  /** Replace the plan; `undefined` forwards everything. */
  setPlan(plan: FaultPlan | undefined): void;
  readonly requests: RecordedRequest[];
  /** How many requests got each kind of fault. */
  faultCounts(): Partial<Record<HttpFault['kind'], number>>;
  close(): Promise<void>;
}

export async function startHttpFaultProxy(upstreamUrl: string): Promise<HttpFaultProxy> {
  const upstream = new URL(upstreamUrl);
  let plan: FaultPlan | undefined;
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();

  const server = createServer((request, response) => {
    const proxied: ProxiedRequest = { method: request.method ?? 'GET', url: request.url ?? '/' };
    const fault = plan?.(proxied);
    requests.push({ ...proxied, fault: fault?.kind });
    if (fault === undefined || fault.kind === 'reset-body' || fault.kind === 'stall-body') {
      forward(request, response, upstream, fault);
      return;
    }
    // Read (and drop) the request body first, as a server does before it answers.
    request.resume();
    if (fault.kind === 'status') {
      void once(request, 'end').then(() => answerWithS3Error(response, fault.status));
    } else if (fault.kind === 'reset') {
      request.socket.resetAndDestroy();
    }
    // 'stall': nothing more happens until the client gives up and closes the connection.
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await listen(server);
  return {
    url,
    setPlan: (next) => {
      plan = next;
    },
    requests,
    faultCounts: () => {
      const counts: Partial<Record<HttpFault['kind'], number>> = {};
      for (const { fault } of requests) if (fault !== undefined) counts[fault] = (counts[fault] ?? 0) + 1;
      return counts;
    },
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function forward(request: IncomingMessage, response: ServerResponse, upstream: URL, fault: HttpFault | undefined): void {
  const outgoing = httpRequest(
    { hostname: upstream.hostname, port: upstream.port, method: request.method, path: request.url, headers: request.headers },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
      if (fault?.kind !== 'reset-body' && fault?.kind !== 'stall-body') {
        answer.pipe(response);
        return;
      }
      let sent = 0;
      answer.on('data', (chunk: Buffer) => {
        if (sent >= fault.afterBytes) return;
        const allowed = chunk.subarray(0, fault.afterBytes - sent);
        sent += allowed.length;
        response.write(allowed);
        if (sent >= fault.afterBytes) {
          answer.destroy();
          // The bytes already written reach the client first, then the connection breaks (or hangs).
          if (fault.kind === 'reset-body') response.write('', () => response.socket?.resetAndDestroy());
        }
      });
    },
  );
  outgoing.on('error', () => response.socket?.destroy());
  request.pipe(outgoing);
}

function answerWithS3Error(response: ServerResponse, status: 500 | 503): void {
  const code = status === 503 ? 'SlowDown' : 'InternalError';
  const message = status === 503 ? 'Please reduce your request rate.' : 'We encountered an internal error. Please try again.';
  response.writeHead(status, { 'content-type': 'application/xml' });
  response.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>fault-proxy</RequestId></Error>`);
}

export interface FractionOptions {
  /** Share of the requests that get a fault, e.g. 0.25. */
  fraction: number;
  /** The faults to draw from, with equal chances. */
  faults: readonly HttpFault[];
  seed: number;
  /** Never fail the same request (method and path) more often than this in a row (default 2). */
  maxInARow?: number;
  /** Only requests for which this is true can fail (default: all). */
  only?: (request: ProxiedRequest) => boolean;
}

/** Faults for a seeded random share of the requests; a retried request always gets through eventually. */
export function fractionOfRequests(options: FractionOptions): FaultPlan {
  const stream = Random.derive(options.seed, 'fault-proxy');
  const random = () => stream.next();
  const maxInARow = options.maxInARow ?? 2;
  const inARow = new Map<string, number>();
  return (request) => {
    const key = `${request.method} ${request.url}`;
    const failedSoFar = inARow.get(key) ?? 0;
    const eligible = (options.only?.(request) ?? true) && failedSoFar < maxInARow;
    const draw = random();
    const pick = random();
    if (!eligible || draw >= options.fraction) {
      inARow.delete(key);
      return undefined;
    }
    inARow.set(key, failedSoFar + 1);
    return options.faults[Math.floor(pick * options.faults.length)];
  };
}

/** The same fault for every request that matches, for as long as the plan is in place. */
export function everyRequest(fault: HttpFault, only: (request: ProxiedRequest) => boolean = () => true): FaultPlan {
  return (request) => (only(request) ? fault : undefined);
}

/** The fault for the first request that matches, and nothing afterwards. */
export function firstRequest(fault: HttpFault, only: (request: ProxiedRequest) => boolean): FaultPlan {
  let used = false;
  return (request) => {
    if (used || !only(request)) return undefined;
    used = true;
    return fault;
  };
}

/** The first plan's fault for each request, in the order given; a plan later in the list is only asked when the earlier ones pass. */
export function firstOf(...plans: readonly FaultPlan[]): FaultPlan {
  return (request) => {
    for (const plan of plans) {
      const fault = plan(request);
      if (fault !== undefined) return fault;
    }
    return undefined;
  };
}

export interface TcpFaultProxy {
  /** `host:port` to connect to instead of the upstream's. */
  host: string;
  port: number;
  /** Connections opened so far. */
  readonly connections: number;
  /** Cut every open connection now (both sides see a reset). */
  cutAll(): number;
  /**
   * Cut a connection once it has sent this many bytes towards the server (the client's
   * statements and COPY data), counted per connection; `undefined` stops cutting.
   */
  cutAfterClientBytes(bytes: number | undefined): void;
  /** How many connections were cut. */
  readonly cuts: number;
  close(): Promise<void>;
}

export async function startTcpFaultProxy(upstreamHost: string, upstreamPort: number): Promise<TcpFaultProxy> {
  const pairs = new Set<[Socket, Socket]>();
  let threshold: number | undefined;
  let connections = 0;
  let cuts = 0;

  const cut = (pair: [Socket, Socket]) => {
    if (!pairs.delete(pair)) return;
    cuts++;
    for (const socket of pair) socket.resetAndDestroy();
  };

  const server: TcpServer = createTcpServer((client) => {
    connections++;
    const backend = connect({ host: upstreamHost, port: upstreamPort });
    const pair: [Socket, Socket] = [client, backend];
    pairs.add(pair);
    let sent = 0;
    client.on('data', (chunk: Buffer) => {
      sent += chunk.length;
      if (threshold !== undefined && sent > threshold) return cut(pair);
      if (!backend.write(chunk)) client.pause();
    });
    backend.on('drain', () => client.resume());
    backend.pipe(client);
    const end = () => {
      pairs.delete(pair);
      client.destroy();
      backend.destroy();
    };
    client.on('error', end).on('close', end);
    backend.on('error', end).on('close', end);
    client.on('end', () => backend.end());
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    host: '127.0.0.1',
    port,
    get connections() {
      return connections;
    },
    get cuts() {
      return cuts;
    },
    cutAll: () => {
      const open = [...pairs];
      for (const pair of open) cut(pair);
      return open.length;
    },
    cutAfterClientBytes: (bytes) => {
      threshold = bytes;
    },
    close: async () => {
      for (const pair of [...pairs]) for (const socket of pair) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
