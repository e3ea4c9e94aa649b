/**
 * Logging for every task: JSON lines when stderr is not a terminal (containers, Airflow), readable
 * lines on a terminal. Logs go to stderr so that stdout carries only the task result.
 * Secret values registered with `registerSecret` are masked in every line, whatever logged them.
 */
import winston from 'winston';

export type Logger = winston.Logger;

const secrets = new Set<string>();

/** Mask this value wherever it would appear in a log line. Values shorter than 4 characters are ignored. */
export function registerSecret(value: string | undefined): void {
  if (value && value.length >= 4) secrets.add(value);
}

export function redact(text: string): string {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join('***');
  return out;
}

const redactSecrets = winston.format((info) => {
  if (secrets.size === 0) return info;
  for (const key of Object.keys(info)) {
    const value = info[key];
    if (typeof value === 'string') info[key] = redact(value);
    else if (value !== null && typeof value === 'object') info[key] = JSON.parse(redact(JSON.stringify(value)));
  }
  return info;
});

export interface LoggerOptions {
  level?: string;
  /** Force JSON or readable output; by default JSON unless stderr is a TTY. */
  json?: boolean;
  stream?: NodeJS.WritableStream;
}

export function createLogger(task: string, options: LoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const json = options.json ?? !(stream as NodeJS.WriteStream).isTTY;
  const format = json
    ? winston.format.combine(redactSecrets(), winston.format.timestamp(), winston.format.json())
    : winston.format.combine(
        redactSecrets(),
        winston.format.timestamp({ format: 'HH:mm:ss' }),
        winston.format.printf(({ timestamp, level, message, task: _task, ...rest }) => {
          const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
          return `${String(timestamp)} ${level.padEnd(5)} ${String(message)}${extra}`;
        }),
      );
  return winston.createLogger({
    level: options.level ?? 'info',
    defaultMeta: { task },
    format,
    transports: [new winston.transports.Stream({ stream })],
  });
}
