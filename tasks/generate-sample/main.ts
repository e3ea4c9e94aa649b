/** The movalytics-generate-sample image's entry: `movalytics generate-sample` alone, so the image holds only this step. */
import { runStepCli } from '../core/cli';
import { registerGenerateSample } from './command';

runStepCli('generate-sample', registerGenerateSample);
