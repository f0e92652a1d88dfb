import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { resources } from '../../../config/resources.ts';
import type { ConsentChange, PhoneConsentRow } from '../../../domain/consent/consent.ts';
import { runConsentTransform } from '../../../lambdas/consent-transform/transform.ts';
import { startLocalRuntime, type LocalRuntime } from '../../../local/runtime/runtime.ts';
import { consentKeys, deliveredBy, gold, sandbox, writeFeeds, type FeedFile, type Sandbox } from '../fixtures.ts';
import type { ReferenceReject } from './consent-reference.ts';

/** What one run of the real pipeline produced for a date: gold, rejects and changes partitions. */
export interface PipelineDay {
  gold: PhoneConsentRow[];
  rejects: ReferenceReject[];
  changes: ConsentChange[];
}

/**
 * The real consent transform (`runConsentTransform` on DuckDB, changes unloaded to s3rver), with one engine
 * and one runtime shared by many histories: each history starts from an empty landing zone and an empty lake.
 */
export class PipelineRunner {
  private constructor(
    private readonly box: Sandbox,
    private readonly runtime: LocalRuntime,
    private readonly engine: DuckDbEngine,
  ) {}

  static async start(): Promise<PipelineRunner> {
    const box = await sandbox();
    const runtime = await startLocalRuntime({ home: box.home, data: box.data });
    const engine = await DuckDbEngine.open({ home: box.home, dataDir: box.data, memoryLimit: '256MB' });
    return new PipelineRunner(box, runtime, engine);
  }

  /**
   * Runs the dates in order over `files`, each carrying the state of the one before, or with
   * `fromScratch` each on an empty lake (every export read); a run that fails gives its error instead of a day.
   */
  async run(files: FeedFile[], dates: string[], options: { fromScratch?: boolean } = {}): Promise<(PipelineDay | Error)[]> {
    await rm(join(this.box.home, 'lake'), { recursive: true, force: true });
    const days: (PipelineDay | Error)[] = [];
    for (const date of dates) {
      // The landing zone as it is on that date: late files are not there yet.
      await rm(join(this.box.data, 'consent'), { recursive: true, force: true });
      await writeFeeds(this.box.data, deliveredBy(files, date));
      if (options.fromScratch) await rm(join(this.box.home, 'lake'), { recursive: true, force: true });
      try {
        await runConsentTransform(this.engine, { asOfDate: date, lakeBucket: resources.buckets.lake, consentKeys: await consentKeys(this.box.data) });
        days.push({
          gold: await gold(this.engine, date),
          rejects: await this.engine.query<ReferenceReject>(
            `SELECT feed, source_file, reject_reason FROM phone_consent_rejects WHERE as_of_date = DATE '${date}'`,
          ),
          // The lake table, not the unloaded file: s3rver answers a PutObject before the object is on disk
          // (stores/filesystem.js resolves before the write stream finishes), so an immediate read can be truncated.
          changes: await this.engine.query<ConsentChange>(
            `SELECT change_type, account_number, phone_number, phone_type, phone_status, phone_technology, quality_score,
               phone_source, has_sms_consent,
               CAST(sms_consent_updated_at AS VARCHAR) AS sms_consent_updated_at, is_deleted, delete_type,
               CAST(deleted_at AS VARCHAR) AS deleted_at, CAST(as_of_date AS VARCHAR) AS as_of_date
             FROM phone_consent_changes WHERE as_of_date = DATE '${date}'`,
          ),
        });
      } catch (error) {
        days.push(error as Error);
      }
    }
    return days;
  }

  async stop(): Promise<void> {
    await this.engine.close();
    await this.runtime.stop();
    await this.box.cleanup();
  }
}
