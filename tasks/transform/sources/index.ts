/** The record mapping of every transform source. */
import type { TransformSource } from '../../core/staged';
import type { SourceMapping } from '../mapping';
import { cpiMapping } from './cpi';
import { creditsMapping } from './credits';
import { keywordsMapping } from './keywords';
import { linksMapping } from './links';
import { moviesMapping } from './movies';

export const MAPPINGS: Record<TransformSource, SourceMapping> = {
  movies: moviesMapping,
  credits: creditsMapping,
  keywords: keywordsMapping,
  links: linksMapping,
  cpi: cpiMapping,
};
