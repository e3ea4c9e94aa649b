/** The movalytics-load image's entry: `movalytics load` alone, so the image holds only this step. */
import { runStepCli } from '../core/cli';
import { registerLoad } from './command';

runStepCli('load', registerLoad);
