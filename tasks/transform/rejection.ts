/**
 * Why one source record cannot be staged. Mappings throw it; the transform writes the record to
 * the rejects file with its line and `code: detail`, and counts it under `code` in the manifest.
 */
export const REJECT_CODES = [
  'wrong_field_count',
  'invalid_id',
  'duplicate_id',
  'malformed_python_literal',
  'unexpected_python_literal',
  'invalid_number',
  'out_of_range',
  'value_too_long',
  'invalid_date',
  'invalid_boolean',
  'invalid_text',
  'missing_value',
] as const;
export type RejectCode = (typeof REJECT_CODES)[number];

export class RowRejection extends Error {
  constructor(
    readonly code: RejectCode,
    readonly detail: string,
  ) {
    super(`${code}: ${detail}`);
  }
}

export function reject(code: RejectCode, detail: string): never {
  throw new RowRejection(code, detail);
}
