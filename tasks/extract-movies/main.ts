/** The movalytics-extract-movies image's entry: `movalytics extract-movies` alone, so the image holds only this step. */
import { runStepCli } from '../core/cli';
import { registerExtractMovies } from './command';

runStepCli('extract-movies', registerExtractMovies);
