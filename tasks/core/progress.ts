/**
 * Progress of a long step: rows, bytes and rates, logged every few seconds and once at the end.
 * Cheap to call per row: it reads the clock every 1024 updates, or on every large chunk of bytes.
 */
import type { Logger } from './log';

export interface ProgressSnapshot {
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  megabytesPerSecond: number;
}

export class Progress {
  private rows = 0;
  private bytes = 0;
  private updates = 0;
  private readonly startedAt = Date.now();
  private lastLogAt = this.startedAt;

  constructor(
    private readonly logger: Logger,
    private readonly label: string,
    private readonly intervalMs = 5000,
  ) {}

  add(rows: number, bytes = 0): void {
    this.rows += rows;
    this.bytes += bytes;
    if ((++this.updates & 1023) !== 0 && bytes < 16_384) return;
    const now = Date.now();
    if (now - this.lastLogAt >= this.intervalMs) {
      this.lastLogAt = now;
      this.logger.info(`${this.label}: in progress`, this.snapshot(now));
    }
  }

  snapshot(now = Date.now()): ProgressSnapshot {
    const seconds = Math.max((now - this.startedAt) / 1000, 1e-3);
    return {
      rows: this.rows,
      bytes: this.bytes,
      seconds: round(seconds),
      rowsPerSecond: Math.round(this.rows / seconds),
      megabytesPerSecond: round(this.bytes / 1e6 / seconds),
    };
  }

  done(): ProgressSnapshot {
    const snapshot = this.snapshot();
    this.logger.info(`${this.label}: done`, snapshot);
    return snapshot;
  }
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
