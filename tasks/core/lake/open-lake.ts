/** Opens a lake from its URL: `s3://bucket/prefix` or `file:///abs/path` (a bare absolute path also works). */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { displayUrl } from '../display-url';
import { UsageError } from '../errors';
import { FileLake } from './file-lake';
import type { Lake } from './lake';
import type { S3LakeOptions } from './s3-lake';

export function normaliseLakeUrl(value: string): string {
  // Every lake object is named by its URL in logs and results: credentials in it would be printed.
  if (/^[a-z][a-z0-9+.-]*:\/\/[^/]*@/i.test(value)) {
    throw new UsageError(`credentials in the lake URL "${displayUrl(value)}" would be visible in the process list and logs: give them in AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY`);
  }
  if (value.startsWith('s3://') || value.startsWith('file://')) return value;
  if (!value.includes('://')) return pathToFileURL(path.resolve(value)).href;
  throw new UsageError(`unsupported lake URL "${displayUrl(value)}": expected s3://bucket/prefix or file:///path`);
}

/** Async so that the AWS SDK (a third of a task's start-up) is loaded only for an S3 lake. */
export async function openLake(url: string, s3: S3LakeOptions = {}): Promise<Lake> {
  const normalised = normaliseLakeUrl(url);
  if (normalised.startsWith('file://')) return new FileLake(normalised);
  const bucket = new URL(normalised).hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new UsageError(`invalid S3 bucket name "${bucket}" in lake URL`);
  }
  const { createS3Client, S3Lake } = await import('./s3-lake');
  return new S3Lake(normalised, createS3Client(s3), undefined, s3.timeoutMs);
}
