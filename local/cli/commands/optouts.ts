import type { Command } from 'commander';
import { envNames, requireEnv } from '../../../config/environment.ts';
import { createSqlEngine } from '../../../adapters/sql-engine-factory.ts';
import { listRawKeys } from '../../../adapters/raw-store.ts';
import { dispositionsDate } from '../../../domain/feeds/daily-inputs.ts';
import { optOutRegisterPartitionColumn, optOutRegisterTable } from '../../../domain/run/lake-tables.ts';
import { backfillOptOutRegister } from '../../../lambdas/build-customer-facts/optout-register.ts';
import { defaultHome, startLocalRuntime } from '../../runtime/runtime.ts';

export interface BackfillReport {
  asOfDate: string;
  dispositionDays: number;
  registerRows: number;
}

/**
 * The one-time backfill on a started runtime: every dispositions day of the landing zone merged into the
 * register's newest partition (or `asOfDate`; without a register, the newest dispositions day).
 */
export async function backfillOptOuts(asOfDate?: string): Promise<BackfillReport> {
  const days = (await listRawKeys('dispositions/')).map(dispositionsDate).filter((day): day is string => day !== undefined);
  const engine = await createSqlEngine();
  try {
    const date = asOfDate ?? (await engine.partitionValues(optOutRegisterTable, optOutRegisterPartitionColumn)).at(-1) ?? [...days].sort().at(-1);
    if (date === undefined) throw new Error('no dispositions under dispositions/date=YYYY-MM-DD/ and no opt-out register: nothing to backfill');
    const rows = await backfillOptOutRegister(engine, { asOfDate: date, lakeBucket: requireEnv(envNames.lakeBucket), dispositionDays: days });
    return { asOfDate: date, dispositionDays: new Set(days.filter((day) => day <= date)).size, registerRows: rows };
  } finally {
    await engine.close();
  }
}

export function registerOptOuts(program: Command): void {
  const optouts = program.command('optouts').description('the permanent opt-out register (docs/optout-register.md)');
  optouts
    .command('backfill')
    .description('merge every dispositions day of the landing zone into the opt-out register (prints one JSON object)')
    .requiredOption('--data <dir>', 'landing zone directory (dispositions/date=YYYY-MM-DD/...)')
    .option('--home <dir>', 'state directory (lake, S3, DynamoDB)', defaultHome)
    .option('--date <YYYY-MM-DD>', "the register partition to write (default: the register's newest, else the newest dispositions day)")
    .action(async (options: { data: string; home: string; date?: string }) => {
      const runtime = await startLocalRuntime({ home: options.home, data: options.data });
      try {
        console.log(JSON.stringify(await backfillOptOuts(options.date)));
      } finally {
        await runtime.stop();
      }
    });
}
