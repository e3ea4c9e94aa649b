/**
 * The original approach as a peer: scripts/bench/pyspark_peer.py (PySpark in local mode on this
 * machine, CSVs appended to staging tables over JDBC) in a bench schema of the same PostgreSQL
 * server. scripts/bench/pyspark-setup.sh installs pyspark and the JDBC driver once (cached).
 */
import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { keepTail, type Dataset } from './dataset';
import { measure, type Measurement } from './measure';
import { REPO_ROOT, type BenchOptions } from './options';
import type { BenchDatabase } from './services';

const run = promisify(execFile);
export const PYSPARK_SCHEMA = 'bench_pyspark';

export interface PysparkMeasurement extends Measurement {
  /** Seconds per job as the script timed them inside its Spark session. */
  jobs: Record<string, number>;
  version: string;
}

export async function measurePyspark(options: BenchOptions, dataset: Dataset, database: BenchDatabase): Promise<PysparkMeasurement> {
  const { python, jar } = await setUp(options);
  const parquet = path.join(options.workDir, 'pyspark-parquet');
  const url = new URL(database.url);
  await database.dropSchema(PYSPARK_SCHEMA);
  await database.createSchema(PYSPARK_SCHEMA);
  try {
    let output = '';
    const stderr: string[] = [];
    // Through spark-submit, so the JVM is the measured process and Python its (waited-for) child:
    // GNU time then reports the JVM's peak RSS, which a Python parent that never waits hides.
    const measured = await measure(
      path.join(path.dirname(python), 'spark-submit'),
      [
        '--driver-class-path', jar,
        path.join(REPO_ROOT, 'scripts', 'bench', 'pyspark_peer.py'),
        '--source', dataset.folder,
        '--jdbc-url', `jdbc:postgresql://${url.host}${url.pathname}`,
        '--user', decodeURIComponent(url.username || 'postgres'),
        '--schema', PYSPARK_SCHEMA,
        '--jar', jar,
        '--parquet', parquet,
      ],
      { env: { ...options.childEnv, PYSPARK_PYTHON: python, PYSPARK_DRIVER_PYTHON: python }, onStdoutLine: (line) => (output = line), onStderrLine: (line) => keepTail(stderr, line.slice(0, 500)) },
    );
    if (measured.exitCode !== 0) throw new Error(`the PySpark peer failed (exit ${measured.exitCode}):\n${stderr.join('\n')}`);
    const parsed = JSON.parse(output) as { jobs: Record<string, number> };
    const { stdout: version } = await run(python, ['-c', 'import pyspark; print(pyspark.__version__)']);
    return { ...measured, jobs: parsed.jobs, version: version.trim() };
  } finally {
    await database.dropSchema(PYSPARK_SCHEMA);
    await rm(parquet, { recursive: true, force: true });
  }
}

async function setUp(options: BenchOptions): Promise<{ python: string; jar: string }> {
  try {
    const { stdout } = await run('bash', [path.join(REPO_ROOT, 'scripts', 'bench', 'pyspark-setup.sh'), options.cacheDir], {
      env: options.childEnv,
      maxBuffer: 16 * 1024 * 1024,
    });
    const [python, jar] = stdout.trim().split('\n').slice(-2);
    if (!python || !jar) throw new Error(`unexpected output: ${stdout}`);
    return { python, jar };
  } catch (error) {
    throw new Error(`could not set up the PySpark peer (scripts/bench/pyspark-setup.sh): ${error instanceof Error ? error.message : String(error)}`);
  }
}
