/**
 * The task result: a small JSON (outputs, row counts, rejects, timings) written to the result file
 * (the KubernetesPodOperator convention) and printed as the last stdout line (the DockerOperator one).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { redact } from './log';

export type ResultValue = string | number | boolean | null | ResultValue[] | { [key: string]: ResultValue };
export type TaskOutput = { [key: string]: ResultValue };

export interface TaskResult extends TaskOutput {
  task: string;
  run_id: string;
  status: 'success' | 'failed';
  exit_code: number;
  seconds: number;
}

export async function writeResult(result: TaskResult, resultFile: string | undefined): Promise<void> {
  const line = await writeResultFile(result, resultFile);
  process.stdout.write(`${line}\n`);
}

/** Writes the result to the result file, if any (`run`, whose stdout is for people, only there); returns its line. */
export async function writeResultFile(result: TaskResult, resultFile: string | undefined): Promise<string> {
  const line = redact(JSON.stringify(result));
  if (resultFile) {
    await mkdir(path.dirname(resultFile), { recursive: true });
    await writeFile(resultFile, `${line}\n`);
  }
  return line;
}
