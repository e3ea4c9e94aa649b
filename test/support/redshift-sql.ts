/**
 * The Redshift-only SQL the local Data API endpoint accepts before running statements on PGlite:
 * a small grammar check, then the Redshift part is removed (PGlite has no distribution or sort
 * keys). Anything malformed fails the way Redshift would: `syntax error at or near …`.
 *
 * - `ALTER TABLE t ALTER DISTSTYLE {ALL|EVEN|AUTO|KEY DISTKEY c}`, `ALTER DISTKEY c`,
 *   `ALTER [COMPOUND] SORTKEY (c, …)`, `ALTER SORTKEY {AUTO|NONE}`, `ALTER ENCODE AUTO`
 *   → checked (table and columns must exist), then nothing to run.
 * - `CREATE TABLE … ( … c type ENCODE e [DISTKEY] [SORTKEY] … ) [DISTSTYLE …] [DISTKEY (c)]
 *   [[COMPOUND|INTERLEAVED] SORTKEY (c, …)] [ENCODE AUTO] [BACKUP YES|NO]` → the attributes are
 *   checked and stripped.
 * - `COPY t (c, …) FROM 's3://…' IAM_ROLE '…' [MANIFEST] [options]` → parsed for the server to
 *   perform (with MANIFEST, the URL is a manifest object listing the objects to read).
 */

export class RedshiftSyntaxError extends Error {}

const ENCODINGS = new Set(['RAW', 'AZ64', 'BYTEDICT', 'DELTA', 'DELTA32K', 'LZO', 'MOSTLY8', 'MOSTLY16', 'MOSTLY32', 'RUNLENGTH', 'TEXT255', 'TEXT32K', 'ZSTD']);
const NAME = String.raw`(?:"[a-z0-9_]+"|[a-z_][a-z0-9_]*)`;
const QUALIFIED = String.raw`${NAME}(?:\.${NAME})?`;
const NAME_LIST = String.raw`\(\s*${NAME}(?:\s*,\s*${NAME})*\s*\)`;

export interface PhysicalDesign {
  table: string;
  /** What was asked, normalised: e.g. `DISTSTYLE KEY DISTKEY movie_id`, `SORTKEY (movie_id)`. */
  clause: string;
  /** Columns the clause names (they must exist). */
  columns: string[];
}

const ALTER_PHYSICAL = new RegExp(
  String.raw`^ALTER\s+TABLE\s+(${QUALIFIED})\s+ALTER\s+(` +
    [
      String.raw`DISTSTYLE\s+(?:ALL|EVEN|AUTO)`,
      String.raw`DISTSTYLE\s+KEY\s+DISTKEY\s+${NAME}`,
      String.raw`DISTKEY\s+${NAME}`,
      String.raw`(?:COMPOUND\s+)?SORTKEY\s*${NAME_LIST}`,
      String.raw`SORTKEY\s+(?:AUTO|NONE)`,
      String.raw`ENCODE\s+AUTO`,
    ].join('|') +
    String.raw`)\s*;?\s*$`,
  'i',
);

/** `ALTER TABLE … ALTER DISTSTYLE/DISTKEY/SORTKEY/ENCODE …`, or undefined for any other statement. */
export function parseAlterPhysical(sql: string): PhysicalDesign | undefined {
  const text = sql.trim();
  if (!/^ALTER\s+TABLE\s+\S+\s+ALTER\s+(DISTSTYLE|DISTKEY|SORTKEY|COMPOUND|INTERLEAVED|ENCODE)\b/i.test(text)) return undefined;
  const match = ALTER_PHYSICAL.exec(text);
  if (!match) throw new RedshiftSyntaxError(`syntax error at or near "${text.split(/\s+/).slice(3, 6).join(' ')}"`);
  const clause = (match[2] as string).replace(/\s+/g, ' ');
  return { table: match[1] as string, clause, columns: clauseColumns(clause) };
}

function clauseColumns(clause: string): string[] {
  const keyed = /DISTKEY\s+("?[a-z0-9_]+"?)/i.exec(clause);
  if (keyed) return [unquote(keyed[1] as string)];
  const list = /\(([^)]*)\)/.exec(clause);
  return list ? (list[1] as string).split(',').map((name) => unquote(name.trim())) : [];
}

function unquote(name: string): string {
  return name.replace(/^"(.*)"$/, '$1');
}

const TABLE_ATTRIBUTE = new RegExp(
  String.raw`^\s*(?:` +
    [
      String.raw`DISTSTYLE\s+(?:ALL|EVEN|AUTO|KEY)`,
      String.raw`DISTKEY\s*\(\s*${NAME}\s*\)`,
      String.raw`(?:COMPOUND\s+|INTERLEAVED\s+)?SORTKEY\s*${NAME_LIST}`,
      String.raw`SORTKEY\s+(?:AUTO|NONE)`,
      String.raw`ENCODE\s+AUTO`,
      String.raw`BACKUP\s+(?:YES|NO)`,
    ].join('|') +
    String.raw`)`,
  'i',
);

/** A CREATE TABLE without its Redshift attributes (checked first); other statements unchanged. */
export function stripCreateTableAttributes(sql: string): string {
  if (!/^\s*CREATE\s+(TEMP\s+|TEMPORARY\s+)?TABLE\b/i.test(sql) || /\bAS\s+SELECT\b/i.test(sql)) return sql;
  const open = sql.indexOf('(');
  const close = matchingParenthesis(sql, open);
  let attributes = sql.slice(close + 1).replace(/;\s*$/, '');
  while (attributes.trim() !== '') {
    const match = TABLE_ATTRIBUTE.exec(attributes);
    if (!match) throw new RedshiftSyntaxError(`syntax error at or near "${attributes.trim().split(/\s+/)[0] ?? ''}"`);
    attributes = attributes.slice(match[0].length);
  }
  const columns = sql.slice(open + 1, close).replace(/\bENCODE\s+([a-z0-9]+)/gi, (_match, encoding: string) => {
    if (!ENCODINGS.has(encoding.toUpperCase())) throw new RedshiftSyntaxError(`invalid encoding type "${encoding}"`);
    return '';
  });
  // Column-level DISTKEY / SORTKEY keywords follow a column's type; they carry no argument.
  const plainColumns = columns.replace(/\s+(DISTKEY|SORTKEY)\b(?=\s*(,|$|NOT\b|NULL\b|PRIMARY\b|DEFAULT\b))/gi, '');
  return `${sql.slice(0, open + 1)}${plainColumns})`;
}

function matchingParenthesis(sql: string, open: number): number {
  if (open < 0) throw new RedshiftSyntaxError('syntax error: CREATE TABLE without a column list');
  let depth = 0;
  for (let index = open; index < sql.length; index++) {
    if (sql[index] === '(') depth++;
    else if (sql[index] === ')' && --depth === 0) return index;
  }
  throw new RedshiftSyntaxError('syntax error at end of input');
}

export interface CopyFromS3 {
  table: string;
  columns: string[];
  bucket: string;
  prefix: string;
  iamRole: string;
  csv: boolean;
  gzip: boolean;
  ignoreHeader: number;
  emptyAsNull: boolean;
  /** `NULL AS '…'`; Redshift's default for CSV is `\N`. */
  nullAs?: string;
  /** The URL names a manifest (`{"entries":[{"url":…,"mandatory":…}]}`), not a key prefix. */
  manifest: boolean;
}

const COPY_HEAD = new RegExp(String.raw`^COPY\s+(${QUALIFIED})\s*(${NAME_LIST})?\s+FROM\s+'s3://([^/']+)/([^']*)'\s+([\s\S]*)$`, 'i');
const IAM_ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[A-Za-z0-9+=,.@_/-]+$/;

/** `COPY … FROM 's3://…' …`, or undefined for any other statement. */
export function parseCopyFromS3(sql: string): CopyFromS3 | undefined {
  const text = sql.trim().replace(/;\s*$/, '');
  if (!/^COPY\s/i.test(text) || !/\sFROM\s+'s3:\/\//i.test(text)) return undefined;
  const match = COPY_HEAD.exec(text);
  if (!match) throw new RedshiftSyntaxError('syntax error in COPY');
  const copy: CopyFromS3 = {
    table: match[1] as string,
    columns: match[2] ? (match[2] as string).slice(1, -1).split(',').map((name) => unquote(name.trim())) : [],
    bucket: match[3] as string,
    prefix: match[4] as string,
    iamRole: '',
    csv: false,
    gzip: false,
    ignoreHeader: 0,
    emptyAsNull: false,
    manifest: false,
  };
  let rest = match[5] as string;
  const take = (pattern: RegExp): RegExpExecArray | undefined => {
    const found = pattern.exec(rest);
    if (found) rest = rest.slice(found[0].length);
    return found ?? undefined;
  };
  while (rest.trim() !== '') {
    rest = rest.replace(/^\s+/, '');
    let found: RegExpExecArray | undefined;
    if ((found = take(/^IAM_ROLE\s+'([^']*)'/i))) copy.iamRole = found[1] as string;
    else if (take(/^(FORMAT\s+(AS\s+)?)?CSV\b/i)) copy.csv = true;
    else if (take(/^GZIP\b/i)) copy.gzip = true;
    else if ((found = take(/^IGNOREHEADER\s+(AS\s+)?(\d+)/i))) copy.ignoreHeader = Number(found[2]);
    else if (take(/^EMPTYASNULL\b/i)) copy.emptyAsNull = true;
    else if ((found = take(/^NULL\s+(?:AS\s+)?'((?:[^']|'')*)'/i))) copy.nullAs = (found[1] as string).replace(/''/g, "'");
    else if (take(/^MANIFEST\b/i)) copy.manifest = true;
    else if (take(/^(COMPUPDATE|STATUPDATE)\s+(ON|OFF|TRUE|FALSE)\b/i)) continue;
    else if (take(/^REGION\s+(AS\s+)?'[a-z0-9-]+'/i)) continue;
    else throw new RedshiftSyntaxError(`syntax error at or near "${rest.split(/\s+/)[0] ?? ''}"`);
  }
  if (!copy.iamRole) throw new RedshiftSyntaxError('COPY needs credentials: IAM_ROLE, CREDENTIALS or ACCESS_KEY_ID');
  if (!copy.iamRole.split(',').every((role) => IAM_ROLE_ARN.test(role))) {
    throw new RedshiftSyntaxError(`Invalid IAM role ARN "${copy.iamRole}"`);
  }
  return copy;
}
