/** The movalytics-report image's entry: `movalytics report` alone, so the image holds only this step. */
import { runStepCli } from '../core/cli';
import { registerReport } from './command';

runStepCli('report', registerReport);
