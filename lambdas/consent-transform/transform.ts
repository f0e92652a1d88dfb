import type { QualityGate } from '../../adapters/quality-gates.ts';
import type { SqlEngine } from '../../adapters/sql-engine.ts';
import { resources } from '../../config/resources.ts';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';

/** Lake tables written by the consent transform, each partitioned by `as_of_date`. */
export const consentTables = {
  gold: 'phone_consent',
  rejects: 'phone_consent_rejects',
  changes: 'phone_consent_changes',
} as const;

export const partitionColumn = 'as_of_date';

export interface ConsentTransformResult {
  asOfDate: string;
  /** Newest gold partition strictly before `asOfDate`; null on the first run (every row is `new`). */
  previousAsOfDate: string | null;
  rows: {
    bronze: number;
    gold: number;
    rejects: number;
    changes: { new: number; changed: number; gone: number };
  };
  rejectsByReason: Record<string, number>;
  /** The ConsentChange JSON Lines (gzip) objects for the consent load. */
  changes: { bucket: string; keys: string[] };
}

interface SummaryRow {
  measure: 'gold' | 'rejects' | 'changes';
  detail: string | null;
  row_count: number;
}

/** Log of the step row counts (no row contents, hence no PII). */
export type StepLog = (step: string, rows: number) => void;

/**
 * Runs the consent transform for one load date (SPEC §4): bronze and silver as run-scoped tables,
 * then the gold, rejects and changes partitions of `asOfDate` (replaced if they exist), and the
 * changes file for the consent load. Re-running a date gives identical partitions and changes.
 */
export async function runConsentTransform(
  engine: SqlEngine,
  options: { asOfDate: string; lakeBucket: string; log?: StepLog; qualityGate?: QualityGate },
): Promise<ConsentTransformResult> {
  const { asOfDate, lakeBucket } = options;
  const log = options.log ?? (() => {});
  const previousAsOfDate =
    (await engine.partitionValues(consentTables.gold, partitionColumn)).filter((date) => date < asOfDate).at(-1) ?? null;
  const values = { as_of_date: sqlDate(asOfDate), previous_as_of_date: sqlDate(previousAsOfDate) };
  const sql = (name: string) => loadSql(`consent/${name}.sql`, values);

  await engine.registerRawSources();
  const bronze = await engine.createTransient('consent_bronze', await sql('consent_bronze'));
  log('bronze', bronze);
  if (bronze === 0) {
    throw new Error(
      `no consent data: no ENRLMT, NON-FIN-BDL or SUPPLFWD file dated on or before ${asOfDate} holds a data row`,
    );
  }
  await options.qualityGate?.check('consent_bronze');
  log('silver', await engine.createTransient('consent_silver', await sql('consent_silver')));
  await options.qualityGate?.check('consent_silver');
  const write = async (table: string) => {
    const rows = await engine.writePartition(table, partitionColumn, asOfDate, await sql(table));
    log(table, rows);
    return rows;
  };
  const gold = await write(consentTables.gold);
  await options.qualityGate?.check('phone_consent');
  const rejects = await write(consentTables.rejects);
  await write(consentTables.changes);

  const summary = await engine.query<SummaryRow>(await sql('phone_consent_summary'));
  const count = (measure: SummaryRow['measure'], detail: string) =>
    summary.find((row) => row.measure === measure && row.detail === detail)?.row_count ?? 0;
  const rejectsByReason = Object.fromEntries(
    summary.filter((row) => row.measure === 'rejects').map((row) => [row.detail!, row.row_count]),
  );

  const prefix = `${resources.prefixes.consentChanges}${partitionColumn}=${asOfDate}/`;
  const keys = await engine.unloadJsonLines(await sql('phone_consent_changes_export'), `s3://${lakeBucket}/${prefix}`);

  return {
    asOfDate,
    previousAsOfDate,
    rows: {
      bronze,
      gold,
      rejects,
      changes: { new: count('changes', 'new'), changed: count('changes', 'changed'), gone: count('changes', 'gone') },
    },
    rejectsByReason,
    changes: { bucket: lakeBucket, keys },
  };
}
