/**
 * Quality SQL written once and filled from the model's contract (tasks/core/staged.ts): a
 * sql/quality/ template measures one table or one reference; it is rendered once per staged
 * dataset, or once per reference the contract marks `record`, and the statements are joined with
 * UNION ALL into one query whose rows are `subject, value`, as a hand-written file's would be.
 * Adding a dataset or a reference to the contract adds its checks.
 *
 * The fragments are built from identifiers only, each validated and quoted (identifiers.ts); the
 * subjects are literals of those same validated names. The largest query (the references) is a
 * few KB, far below Redshift's 100 KB per statement.
 */
import { referencedColumn, STAGED_DATASETS, type ModelReference, type StagedDataset } from '../core/staged';
import { checkIdentifier, quoteIdentifier, type WarehouseNames } from '../core/warehouse/identifiers';
import { sqlStatement, type SqlFragments } from '../core/warehouse/sql-files';

/** What a template is rendered for: each staged dataset, each one holding its source's records, or each reference within one source record. */
export type ContractScope = 'staged_datasets' | 'source_record_datasets' | 'record_references';

export interface ContractSql {
  /** A sql/quality/ template, e.g. `quality/null-keys`. */
  template: string;
  each: ContractScope;
}

export const eachStagedDataset = (template: string): ContractSql => ({ template, each: 'staged_datasets' });
export const eachSourceRecordDataset = (template: string): ContractSql => ({ template, each: 'source_record_datasets' });
export const eachRecordReference = (template: string): ContractSql => ({ template, each: 'record_references' });

/** The template rendered for every member of its scope, as one statement. */
export function contractStatement(sql: ContractSql, names: WarehouseNames): string {
  const fragments =
    sql.each === 'record_references'
      ? recordReferenceFragments(names)
      : STAGED_DATASETS.filter((dataset) => sql.each === 'staged_datasets' || dataset.holdsSourceRecords).map((dataset) => datasetFragments(dataset, names));
  return fragments.map((filled) => sqlStatement(sql.template, names, filled)).join('\nUNION ALL\n');
}

/** `{{subject}}` the dataset's name; `{{table}}`; `{{key_columns}}` its key; `{{key_is_null}}` a test of any key part. */
function datasetFragments(dataset: StagedDataset, names: WarehouseNames): SqlFragments {
  const key = dataset.key.map(quoteIdentifier);
  return {
    subject: subjectLiteral(checkIdentifier('dataset', dataset.name)),
    table: names.table(dataset.name),
    key_columns: key.join(', '),
    key_is_null: key.map((column) => `${column} IS NULL`).join(' OR '),
  };
}

/**
 * One fragment set per `record` reference, in contract order: `{{subject}}` `<table>.<column> ->
 * <parent>`, `{{table}}`, `{{column}}`, `{{parent}}`, `{{parent_key}}`, and `{{null_is_orphan}}`,
 * a condition true where the contract declares the column NOT NULL.
 */
function recordReferenceFragments(names: WarehouseNames): SqlFragments[] {
  return STAGED_DATASETS.flatMap((dataset) =>
    (dataset.references ?? []).filter((reference) => reference.scope === 'record').map((reference) => referenceFragments(dataset, reference, names)),
  );
}

function referenceFragments(dataset: StagedDataset, reference: ModelReference, names: WarehouseNames): SqlFragments {
  const column = dataset.columns.find((candidate) => candidate.name === reference.column);
  if (!column) throw new TypeError(`${dataset.name} references ${reference.table} through "${reference.column}", which is not one of its columns`);
  const subject = `${checkIdentifier('dataset', dataset.name)}.${checkIdentifier('column', column.name)} -> ${checkIdentifier('table', reference.table)}`;
  return {
    subject: subjectLiteral(subject),
    table: names.table(dataset.name),
    column: quoteIdentifier(column.name),
    parent: names.table(reference.table),
    parent_key: quoteIdentifier(referencedColumn(reference)),
    null_is_orphan: column.nullable ? '1 = 0' : '1 = 1',
  };
}

/** A string literal of text made of validated identifiers, spaces, `.`, `-` and `>`. */
function subjectLiteral(text: string): string {
  if (!/^[a-z0-9_. >-]+$/.test(text)) throw new TypeError(`invalid check subject ${JSON.stringify(text)}`);
  return `'${text}'`;
}
