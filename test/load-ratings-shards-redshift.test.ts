/** The sharded ratings load through the Redshift Data API (the local endpoint): shards stage parts in the S3 lake, the commit COPYs them with one manifest. */
import { describeRatingsShardSuite } from './support/ratings-shard-suite';
import { redshiftDataTarget } from './support/warehouse-targets';

describeRatingsShardSuite('the Redshift Data API', () => redshiftDataTarget());
