/** The layer rules of tasks/ (eslint.config.mjs) fail lint on a forbidden import and pass an allowed one. */
import path from 'node:path';
import { ESLint } from 'eslint';

const root = path.join(__dirname, '..');

async function layerErrors(file: string, source: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root });
  const results = await eslint.lintText(source, { filePath: path.join(root, file) });
  return results.flatMap((result) => result.messages).filter((message) => message.ruleId === 'no-restricted-imports').map((message) => message.message);
}

const use = (name: string) => `\nexport const used = ${name};\n`;

describe('layer rules of tasks/', () => {
  it.each([
    ['tasks/core/config.ts', "import { TASK } from '../load/index';", 'tasks/core imports no step'],
    ['tasks/core/lake/lake.ts', "import { TASK } from '../../report/index';", 'tasks/core imports no step'],
    ['tasks/core/errors.ts', "import { commands as TASK } from '../commands';", 'tasks/core imports no step'],
    ['tasks/load/ratings.ts', "import { TASK } from '../report/index';", 'a step imports only tasks/core'],
    ['tasks/transform/sources/movies.ts', "import { TASK } from '../../load/index';", 'a step imports only tasks/core'],
    ['tasks/report/queries.ts', "import { TASK } from '../pipeline/run';", 'a step imports only tasks/core'],
    ['tasks/pipeline/run.ts', "import { answerTables as TASK } from '../report/tables';", 'only through its public entry'],
    ['tasks/commands.ts', "import { transform as TASK } from './transform/index';", 'only through its command.ts'],
  ])('%s: %s fails lint', async (file, statement, reason) => {
    const errors = await layerErrors(file, statement + use('TASK'));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toContain(reason);
  });

  it.each([
    ['tasks/core/cli.ts', "import { version as TASK } from '../../package.json';"],
    ['tasks/core/lake/lake.ts', "import { DataError as TASK } from '../errors';"],
    ['tasks/load/ratings.ts', "import { DataError as TASK } from '../core/errors';"],
    ['tasks/transform/sources/movies.ts', "import { layout as TASK } from '../../core/lake/layout';"],
    ['tasks/pipeline/run.ts', "import { TASK } from '../report/index';"],
    ['tasks/pipeline/run.ts', "import { TASK } from '../report';"],
    ['tasks/commands.ts', "import { registerLoad as TASK } from './load/command';"],
  ])('%s: %s passes lint', async (file, statement) => {
    expect(await layerErrors(file, statement + use('TASK'))).toEqual([]);
  });
});
