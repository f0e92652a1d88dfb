import { Command, InvalidArgumentError } from 'commander';
import { consentFeeds } from '../../domain/consent-feeds.ts';
import { GENERATE_DEFAULTS, generateConsentFeeds } from '../generate/consent-feeds.ts';

function integer(name: string) {
  return (text: string): number => {
    if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${name} must be a non-negative integer`);
    return Number(text);
  };
}

function positiveNumber(name: string) {
  return (text: string): number => {
    const value = Number(text);
    if (!(value > 0)) throw new InvalidArgumentError(`${name} must be a positive number`);
    return value;
  };
}

const MB = 2 ** 20;

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('Write seeded, reproducible phone-consent feeds (SPEC §3.1) for the days ending at --date')
    .requiredOption('--out <dir>', 'output directory (landing zone); files go under consent/')
    .requiredOption('--date <YYYY-MM-DD>', 'last business date written')
    .option('--customers <n>', `number of accounts (default ${GENERATE_DEFAULTS.customers}; not with --consent-mb)`, integer('--customers'))
    .option('--days <k>', 'number of days written, ending at --date', integer('--days'), GENERATE_DEFAULTS.days)
    .option('--seed <s>', 'seed, integer in [0, 2^32)', integer('--seed'), GENERATE_DEFAULTS.seed)
    .option('--consent-mb <m>', 'target total compressed size in MB of the files written; sets the number of accounts', positiveNumber('--consent-mb'))
    .option('--file-mb <m>', 'approximate compressed size at which one feed-day is split into _NNN files', positiveNumber('--file-mb'), GENERATE_DEFAULTS.maxFileMb)
    .action(async (options: { out: string; date: string; customers?: number; days: number; seed: number; consentMb?: number; fileMb: number }) => {
      const summary = await generateConsentFeeds({
        out: options.out,
        date: options.date,
        customers: options.customers,
        days: options.days,
        seed: options.seed,
        consentMb: options.consentMb,
        maxFileMb: options.fileMb,
      });
      const mb = summary.bytes / MB;
      console.log(
        `generated ${summary.dates[0]}..${summary.dates.at(-1)} for ${summary.customers} accounts (seed ${summary.seed}) into ${summary.out}`,
      );
      for (const { feed } of consentFeeds) {
        const files = summary.files.filter((file) => file.feed === feed);
        const rows = files.reduce((sum, file) => sum + file.rows, 0);
        const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
        console.log(`  ${feed.padEnd(12)} ${String(files.length).padStart(4)} files ${String(rows).padStart(12)} rows ${(bytes / MB).toFixed(1).padStart(9)} MB`);
      }
      console.log(
        `  total        ${String(summary.files.length).padStart(4)} files ${String(summary.rows).padStart(12)} rows ${mb.toFixed(1).padStart(9)} MB` +
          ` (${summary.malformedRows} malformed rows) in ${summary.seconds.toFixed(1)} s, ${(mb / summary.seconds).toFixed(1)} MB/s compressed`,
      );
    });
}
