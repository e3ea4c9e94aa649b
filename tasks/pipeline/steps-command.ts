/** `movalytics steps`: print the step graph, for the Airflow DAG's tests and for readers. */
import type { RegisterCommand } from '../core/command';
import { PIPELINE_STEPS, topologicalOrder, type PipelineStep } from './steps';

export const registerSteps: RegisterCommand = (cli) =>
  cli.command(
    'steps',
    'Print the pipeline step graph (task id, CLI arguments, upstream task ids)',
    (y) =>
      y
        .option('json', { type: 'boolean', describe: 'Print JSON instead of a table' })
        .option('mermaid', { type: 'boolean', describe: 'Print a Mermaid flowchart (the README\'s task graph)' })
        .conflicts('json', 'mermaid'),
    (args) => {
      const steps = topologicalOrder(PIPELINE_STEPS);
      let text: string;
      if (args.json) text = JSON.stringify(steps);
      else if (args.mermaid) text = stepsMermaid(steps);
      else text = steps.map((s) => `${s.id.padEnd(20)} movalytics ${s.argv.join(' ')}  <- ${s.upstream.join(', ') || '(start)'}`).join('\n');
      process.stdout.write(`${text}\n`);
    },
  );

/** The step graph as a Mermaid flowchart: one node per task id, one arrow per upstream. */
export function stepsMermaid(steps: readonly PipelineStep[]): string {
  const nodes = steps.map((step) => `  ${step.id}`);
  const edges = steps.flatMap((step) => step.upstream.map((upstream) => `  ${upstream} --> ${step.id}`));
  return ['flowchart LR', ...nodes, ...edges].join('\n');
}
