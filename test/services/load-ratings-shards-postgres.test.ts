/** The sharded ratings load on a real PostgreSQL server (MOVALYTICS_TEST_POSTGRES_URL), each test in a schema of its own. */
import { describeRatingsShardSuite } from '../support/ratings-shard-suite';
import { postgresTarget } from '../support/warehouse-targets';
import { serviceEnv } from './support';

describeRatingsShardSuite('PostgreSQL', () => postgresTarget(serviceEnv('MOVALYTICS_TEST_POSTGRES_URL')));
