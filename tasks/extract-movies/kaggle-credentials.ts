/**
 * Kaggle API credentials, found the way the official Kaggle CLI finds them: `KAGGLE_USERNAME` and
 * `KAGGLE_KEY` in the environment, else `kaggle.json` in `$KAGGLE_CONFIG_DIR` or `~/.kaggle`.
 * The key is registered as a secret at once, so no log line can show it.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';
import { UsageError } from '../core/errors';
import { registerSecret } from '../core/log';

export interface KaggleCredentials {
  username: string;
  key: string;
  /** Where they came from, for messages: the variable names or the file path. */
  origin: string;
}

export async function findKaggleCredentials(env: NodeJS.ProcessEnv): Promise<KaggleCredentials> {
  const fromEnv = credentialsFromEnv(env);
  const credentials = fromEnv ?? (await credentialsFromFile(kaggleJsonPath(env)));
  registerSecret(credentials.key);
  registerSecret(Buffer.from(`${credentials.username}:${credentials.key}`).toString('base64'));
  return credentials;
}

export function kaggleJsonPath(env: NodeJS.ProcessEnv): string {
  const directory = env.KAGGLE_CONFIG_DIR || path.join(env.HOME || homedir(), '.kaggle');
  return path.join(directory, 'kaggle.json');
}

function credentialsFromEnv(env: NodeJS.ProcessEnv): KaggleCredentials | undefined {
  const username = env.KAGGLE_USERNAME?.trim();
  const key = env.KAGGLE_KEY?.trim();
  if (!username && !key) return undefined;
  if (!username || !key) {
    throw new UsageError('set both KAGGLE_USERNAME and KAGGLE_KEY, or neither (to use kaggle.json)');
  }
  return { username, key, origin: 'KAGGLE_USERNAME/KAGGLE_KEY' };
}

async function credentialsFromFile(file: string): Promise<KaggleCredentials> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new UsageError(
      `no Kaggle credentials: set KAGGLE_USERNAME and KAGGLE_KEY, or create ${file} ` +
        '(or give --movies-source a URL, a local zip or a folder)',
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Never echo the file: it holds the key.
    throw new UsageError(`Kaggle credentials file is not valid JSON`, { object: file });
  }
  const { username, key } = (parsed ?? {}) as { username?: unknown; key?: unknown };
  if (typeof username !== 'string' || typeof key !== 'string' || !username || !key) {
    throw new UsageError('Kaggle credentials file needs string fields "username" and "key"', { object: file });
  }
  return { username, key, origin: file };
}
