/**
 * What the local HTTP stand-ins share: listening on 127.0.0.1 on a free port, closing (also
 * dropping kept-alive sockets), and scripted faults that make the next requests fail the way real
 * services do: an error status (with Retry-After), or a body cut off after some bytes.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StandIn {
  url: string;
  close(): Promise<void>;
}

export type Fault =
  /** Answer with this status (and Retry-After, when given) instead of the real response. */
  | { status: number; retryAfter?: string }
  /** Announce the whole body's Content-Length, send only this many bytes, then reset the connection. */
  | { cutAfterBytes: number };

export type Handler = (request: IncomingMessage, response: ServerResponse) => void | Promise<void>;

export async function listen(handler: Handler): Promise<{ server: Server; url: string }> {
  const server = createServer((request, response) => {
    Promise.resolve(handler(request, response)).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`stand-in failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}` };
}

export async function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
}

/** Answers with `fault` if it is a status fault; returns false for body faults, which `send` applies. */
export function answerWithStatus(fault: Fault | undefined, response: ServerResponse): boolean {
  if (fault === undefined || !('status' in fault)) return false;
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (fault.retryAfter !== undefined) headers['retry-after'] = fault.retryAfter;
  response.writeHead(fault.status, headers);
  response.end(JSON.stringify({ code: fault.status, message: `stand-in fault ${fault.status}` }));
  return true;
}

/** Sends `body` whole, or cut short as `fault` says (the announced length stays the whole one). */
export function send(response: ServerResponse, body: Buffer, contentType: string, fault?: Fault): void {
  response.writeHead(200, { 'content-type': contentType, 'content-length': String(body.length) });
  if (fault !== undefined && 'cutAfterBytes' in fault) {
    // Close once the first bytes are handed to the socket, as a connection dropped mid-body would.
    response.write(body.subarray(0, fault.cutAfterBytes), () => response.socket?.destroy());
    return;
  }
  response.end(body);
}

export function json(response: ServerResponse, status: number, value: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(value));
}
