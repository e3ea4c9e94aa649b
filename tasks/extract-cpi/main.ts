/** The movalytics-extract-cpi image's entry: `movalytics extract-cpi` alone, so the image holds only this step. */
import { runStepCli } from '../core/cli';
import { registerExtractCpi } from './command';

runStepCli('extract-cpi', registerExtractCpi);
