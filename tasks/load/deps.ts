/** What a load needs, injected by the command (or by a test). */
import type { Lake } from '../core/lake/lake';
import type { Logger } from '../core/log';
import type { WarehouseNames } from '../core/warehouse/identifiers';
import type { Warehouse } from '../core/warehouse/warehouse';

export interface LoadDeps {
  warehouse: Warehouse;
  names: WarehouseNames;
  lake: Lake;
  logger: Logger;
  runId: string;
  /** The clock, for recorded_at. */
  now: () => Date;
}

