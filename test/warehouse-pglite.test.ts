/** The warehouse integration suite on the embedded warehouse (PGlite on an on-disk data directory). */
import { describeWarehouseSuite } from './support/warehouse-suite';
import { pgliteTarget } from './support/warehouse-targets';

describeWarehouseSuite('PGlite', pgliteTarget, { interruptible: true });
