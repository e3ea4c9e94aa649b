/** The movalytics-transform image's entry: `movalytics transform` alone, so the image holds only this step. */
import { runStepCli } from '../core/cli';
import { registerTransform } from './command';

runStepCli('transform', registerTransform);
