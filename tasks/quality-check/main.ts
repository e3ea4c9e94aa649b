/** The movalytics-quality-check image's entry: `movalytics quality-check` alone, so the image holds only this step. */
import { runStepCli } from '../core/cli';
import { registerQualityCheck } from './command';

runStepCli('quality-check', registerQualityCheck);
