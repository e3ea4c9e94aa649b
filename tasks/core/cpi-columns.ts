/**
 * The date column of a FRED CSV: `DATE` in older downloads, `observation_date` since late 2024, and
 * other spellings of case from data portals that re-publish the series (`"Date"`): the name is
 * compared without case. The second column names the series.
 */
export const CPI_DATE_COLUMNS = ['DATE', 'observation_date'] as const;

export function isCpiDateColumn(name: string): boolean {
  const lower = name.toLowerCase();
  return CPI_DATE_COLUMNS.some((column) => column.toLowerCase() === lower);
}
