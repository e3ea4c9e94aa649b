/**
 * The genuine source extracts (byte-exact heads of the real Kaggle and FRED files), copied from
 * shared/data/real-sample into test/fixtures so that a fresh clone tests without anything beside it.
 */
import path from 'node:path';

export const REAL_SAMPLE_DIR = path.resolve(__dirname, '..', 'fixtures', 'real-sample');
export const realSampleFile = (name: string) => path.join(REAL_SAMPLE_DIR, name);
