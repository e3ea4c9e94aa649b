/** A logger that writes nothing: for tests whose assertions are on results, not on log lines. */
import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../tasks/core/log';

export function silentLogger(): Logger {
  return createLogger('test', { json: true, level: 'error', stream: new Writable({ write: (_chunk, _encoding, done) => done() }) });
}
