/**
 * The warehouse integration suite on a real PostgreSQL server (Debian's, started by
 * scripts/services/postgres.sh): MOVALYTICS_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:54329/postgres.
 * Every test works in a schema of its own, so runs never collide.
 */
import { describeWarehouseSuite } from '../support/warehouse-suite';
import { postgresTarget } from '../support/warehouse-targets';
import { serviceEnv } from './support';

describeWarehouseSuite('PostgreSQL', () => postgresTarget(serviceEnv('MOVALYTICS_TEST_POSTGRES_URL')), { interruptible: true });
