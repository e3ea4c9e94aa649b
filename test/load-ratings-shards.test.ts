/** The sharded ratings load on the embedded warehouse (PGlite on an on-disk data directory). */
import { describeRatingsShardSuite } from './support/ratings-shard-suite';
import { pgliteTarget } from './support/warehouse-targets';

describeRatingsShardSuite('PGlite', pgliteTarget);
