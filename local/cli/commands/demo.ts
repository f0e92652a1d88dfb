import type { Command } from 'commander';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { generateFeeds } from '../../generate/feeds.ts';
import { runDailyLocally } from '../../runtime/daily-run.ts';
import { formatRunSummary, formatStep } from '../format.ts';
import { startLocalRuntime } from '../../runtime/runtime.ts';
import { DuckDbEngine } from '../../../adapters/duckdb-engine.ts';
import { easternDate } from '../../../domain/values/load-date.ts';
import type { PhoneConsentRow } from '../../../domain/consent/consent.ts';

const DEMO_CUSTOMERS = 20_000;
const DEMO_SEED = 42;

/**
 * `npm run demo`: generate a sample, run yesterday's consent slice and today's whole workflow (lists,
 * exports), show the summaries and a few can_send_sms answers.
 */
export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description('generate a sample, run the daily workflow locally (yesterday: consent; today: all steps), and show can_send_sms answers')
    .option('--home <dir>', 'state directory for the demo (wiped first)', '.outbound/demo')
    .option('--customers <n>', 'number of accounts', String(DEMO_CUSTOMERS))
    .action(async (options: { home: string; customers: string }) => {
      const home = resolve(options.home);
      const data = join(home, 'data');
      await rm(home, { recursive: true, force: true });
      const day2 = easternDate(new Date());
      const day1 = new Date(Date.parse(`${day2}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);

      for (const [date, steps] of [
        [day1, 'consent'],
        [day2, 'all'],
      ] as const) {
        const generated = await generateFeeds({ out: data, date, customers: Number(options.customers), seed: DEMO_SEED });
        const other = generated.files.reduce((sum, file) => sum + file.rows, 0);
        console.log(
          `\n▶ generated feeds up to ${date}: consent ${generated.consent.rows} rows (${generated.consent.malformedRows} malformed on purpose), other feeds ${other} rows`,
        );
        console.log(`▶ outbound run --date ${date} --steps ${steps}`);
        const summary = await runDailyLocally({ data, date, home, steps, onStep: (timing) => timing.status !== 'running' && console.log(formatStep(timing)) });
        console.log(formatRunSummary(summary));
      }

      console.log('\n▶ can_send_sms answers (the API handler, same as GET /v1/can-send-sms), phones typed as agents type them:');
      const samples = await sampleRows(home, day2);
      const runtime = await startLocalRuntime({ home });
      try {
        const { smsCheck } = await import('./sms-check.ts');
        for (const { label, account, phone } of samples) {
          const { body } = await smsCheck(account, phone);
          console.log(`  ${label.padEnd(20)} ${phone.padEnd(15)} → ${JSON.stringify(body)}`);
        }
      } finally {
        await runtime.stop();
      }
      console.log(`\nState is under ${home}; try:`);
      console.log(
        `  npx outbound query "select suppression_reason, count(*) n from rpt_outbound_lists_suppression group by 1 order by 2 desc" --home ${options.home}`,
      );
      console.log(`  npx outbound explain --customer <payoffuid from rpt_outbound_lists> --date ${day2} --home ${options.home}`);
      console.log(`  npx outbound exports --date ${day2} --out exports --home ${options.home}`);
    });
}

interface Sample {
  label: string;
  account: string;
  phone: string;
}

/** One gold row of each kind the rule distinguishes, plus a pair that does not exist. */
async function sampleRows(home: string, date: string): Promise<Sample[]> {
  const engine = await DuckDbEngine.open({ home });
  try {
    const kinds: [string, string][] = [
      ['allowed (consent Y)', `phone_source = 'CLIENT' and not is_deleted and has_sms_consent`],
      ['allowed (no answer)', `phone_source = 'CLIENT' and not is_deleted and has_sms_consent is null`],
      ['consent withdrawn', `phone_source = 'CLIENT' and not is_deleted and not has_sms_consent`],
      ['soft deleted', `delete_type = 'soft_delete'`],
      ['hard deleted', `delete_type = 'hard_delete'`],
      ['source not client', `phone_source <> 'CLIENT' and not is_deleted`],
    ];
    const samples: Sample[] = [];
    for (const [label, where] of kinds) {
      const [row] = await engine.query<PhoneConsentRow>(
        `select account_number, phone_number from phone_consent where as_of_date = DATE '${date}' and ${where} order by account_number, phone_number limit 1`,
      );
      if (row) samples.push({ label, account: row.account_number, phone: asTyped(row.phone_number) });
    }
    const first = samples[0];
    if (first) samples.push({ label: 'unknown pair', account: first.account, phone: '(205) 555-0199' });
    return samples;
  } finally {
    await engine.close();
  }
}

/** +12125550142 → (212) 555-0142 */
function asTyped(e164: string): string {
  const digits = e164.slice(2);
  return `(${digits.slice(0, 3)}) ${digits.slice(3, 6)}-${digits.slice(6)}`;
}
