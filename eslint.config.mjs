// Lint: typescript-eslint's recommended rules, with `any` forbidden everywhere.
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

/*
 * Layer rules of tasks/ (imports are relative, so each rule is written once per folder depth):
 *   tasks/core       imports nothing else of tasks/: no step, no pipeline, no CLI.
 *   tasks/<step>/    imports tasks/core and its own folder only.
 *   tasks/pipeline/  imports tasks/core, its own folder, and a step only through the step's public
 *                    entry, tasks/<step>/index.ts (the flow and the types and constants others need;
 *                    a step re-exports there what it lets out).
 *   tasks/*.ts       the CLI: tasks/core and each step's command.ts (its flags; the pipeline has two,
 *                    run-command.ts and steps-command.ts), nothing deeper.
 * Every step folder has the same shape: index.ts the flow, command.ts the flags, main.ts the image's entry.
 */
const UP = ['\\.\\./', '\\.\\./\\.\\./'];
const OUT_OF_TASKS = '\\.\\./';
function layerRule(regex, message) {
  return { 'no-restricted-imports': ['error', { patterns: [{ regex, message }] }] };
}
function layerRulesPerDepth(folderGlob, ignores, pattern, message) {
  return UP.map((up, depth) => ({
    files: [`${folderGlob}/${'*/'.repeat(depth)}*.ts`],
    ignores,
    rules: layerRule(`^${up}${pattern}`, message),
  }));
}
const layerRules = [
  ...layerRulesPerDepth('tasks/core', [], `(?!core/|${OUT_OF_TASKS})`, 'tasks/core imports no step, pipeline or CLI module'),
  ...layerRulesPerDepth('tasks/*', ['tasks/core/**', 'tasks/pipeline/**'], `(?!core/|${OUT_OF_TASKS})`, 'a step imports only tasks/core and its own folder'),
  ...layerRulesPerDepth('tasks/pipeline', [], `((?!core/|${OUT_OF_TASKS})[^/]+/(?!index$)|(cli|commands)$)`, 'the pipeline imports a step only through its public entry, tasks/<step>/index.ts'),
  { files: ['tasks/*.ts'], rules: layerRule('^\\./(?!core/)[^/]+/(?!(.+-)?command$)', 'the CLI imports a step only through its command.ts') },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'airflow/**', '.data/**'] },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'error',
    },
  },
  ...layerRules,
  { files: ['test/**', 'scripts/**', 'bench/**', '*.js', '*.mjs'], rules: { 'no-console': 'off' } },
  { files: ['**/*.js'], languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly', process: 'readonly', __dirname: 'readonly' } }, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
