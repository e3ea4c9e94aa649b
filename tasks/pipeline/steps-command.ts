/** `movalytics steps`: print the step graph, for the Airflow DAG's tests and for readers. */
import type { RegisterCommand } from '../core/command';
import { PIPELINE_STEPS, topologicalOrder } from './steps';

export const registerSteps: RegisterCommand = (cli) =>
  cli.command(
    'steps',
    'Print the pipeline step graph (task id, CLI arguments, upstream task ids)',
    (y) => y.option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of a table' }),
    (args) => {
      const steps = topologicalOrder(PIPELINE_STEPS);
      const text = args.json
        ? JSON.stringify(steps)
        : steps.map((s) => `${s.id.padEnd(20)} movalytics ${s.argv.join(' ')}  <- ${s.upstream.join(', ') || '(start)'}`).join('\n');
      process.stdout.write(`${text}\n`);
    },
  );
