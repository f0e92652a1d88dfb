import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateFeeds } from '../generate/feeds.ts';
import { runDailyLocally } from '../runtime/daily-run.ts';
import { DuckDbEngine } from '../../adapters/duckdb-engine.ts';
import { readCampaignConfigFile } from '../../adapters/campaign-config-file.ts';
import { envNames } from '../../config/environment.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import type { CampaignConfig } from '../../domain/campaigns/schema.ts';

/** The servicer's program (SPEC §5.1). */
export const PROGRAM_CONFIG = new URL('../../config/programs/collections-current.yaml', import.meta.url).pathname;

export interface ProgramDaysOptions {
  home: string;
  /** The last load date. */
  date: string;
  days: number;
  customers: number;
  seed: number;
  onRun?: (date: string, seconds: number) => void;
}

export interface ProgramDays {
  config: CampaignConfig;
  dates: string[];
  /** Customers listed and kept per list and load date. */
  lists: { set_name: string; list_name: string; load_date: string; listed: number; kept: number }[];
  /** Rows per reason code over all the days. */
  reasons: { suppression_reason: string; n: number }[];
  /** The reason codes the program itself names (the §6 rules add others). */
  programReasons: ReadonlySet<string>;
  /** Lists and reason codes of the program that never occurred. */
  missing: string[];
}

/**
 * `outbound generate --days N` into `<home>/data`, then N consecutive daily runs of the program (each day's phone
 * test reads the days before), then what the published tables hold. The home is wiped first.
 */
export async function runProgramDays(options: ProgramDaysOptions): Promise<ProgramDays> {
  const loaded = await readCampaignConfigFile(PROGRAM_CONFIG);
  if (!loaded.ok) throw new Error(`${PROGRAM_CONFIG}: the configuration is invalid`);
  const previous = process.env[envNames.campaignConfig];
  process.env[envNames.campaignConfig] = PROGRAM_CONFIG;
  try {
    const home = resolve(options.home);
    const data = join(home, 'data');
    const dates = Array.from({ length: options.days }, (_, i) => addDays(options.date, i - options.days + 1));
    await rm(home, { recursive: true, force: true });
    await generateFeeds({ out: data, date: options.date, days: options.days, customers: options.customers, seed: options.seed });
    for (const date of dates) {
      const started = performance.now();
      await runDailyLocally({ data, date, home, steps: 'all' });
      options.onRun?.(date, (performance.now() - started) / 1000);
    }
    return { config: loaded.config, dates, ...(await readProgramTables(home, loaded.config)) };
  } finally {
    if (previous === undefined) delete process.env[envNames.campaignConfig];
    else process.env[envNames.campaignConfig] = previous;
  }
}

async function readProgramTables(home: string, config: CampaignConfig): Promise<Omit<ProgramDays, 'config' | 'dates'>> {
  const engine = await DuckDbEngine.open({ home });
  try {
    const lists = await engine.query<ProgramDays['lists'][number]>(
      `SELECT set_name, list_name, CAST(load_date AS VARCHAR) AS load_date, CAST(count(*) AS INTEGER) AS listed,
              CAST(sum(CASE WHEN suppression_flag THEN 0 ELSE 1 END) AS INTEGER) AS kept
       FROM rpt_outbound_lists GROUP BY set_name, list_name, load_date ORDER BY set_name, list_name, load_date`,
    );
    const reasons = await engine.query<ProgramDays['reasons'][number]>(
      'SELECT suppression_reason, CAST(count(*) AS INTEGER) AS n FROM rpt_outbound_lists_suppression GROUP BY suppression_reason ORDER BY suppression_reason',
    );
    // INDIVIDUAL_SUPPRESSION comes from the suppressions feed, CROSS_SET from exclude_if_assigned_in (§5.1).
    const programReasons = new Set<string>(['INDIVIDUAL_SUPPRESSION', 'CROSS_SET']);
    for (const rule of config.suppression_rules) programReasons.add(rule.reason);
    for (const set of config.sets) {
      for (const rule of set.suppression_rules) programReasons.add(rule.reason);
      for (const list of set.lists) for (const rule of list.suppression_rules) programReasons.add(rule.reason);
    }
    const missing = [
      ...config.sets.flatMap((set) =>
        set.lists
          .filter((list) => !lists.some((row) => row.set_name === set.name && row.list_name === list.name))
          .map((list) => `list ${set.name}/${list.name}`),
      ),
      ...[...programReasons].filter((reason) => !reasons.some((row) => row.suppression_reason === reason)).map((reason) => `reason ${reason}`),
    ];
    return { lists, reasons, programReasons, missing };
  } finally {
    await engine.close();
  }
}
