/** The movalytics-create-tables image's entry: `movalytics create-tables` alone, so the image holds only this step. */
import { runStepCli } from '../core/cli';
import { registerCreateTables } from './command';

runStepCli('create-tables', registerCreateTables);
