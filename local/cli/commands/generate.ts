import { type Command, InvalidArgumentError } from 'commander';
import { consentFeeds } from '../../../domain/consent/consent-feeds.ts';
import { CONSENT_CADENCES, GENERATE_DEFAULTS, type ConsentCadence } from '../../generate/consent-feeds.ts';
import { DAILY_FEEDS } from '../../../domain/feeds/daily-feeds.ts';
import { HISTORY_DAYS_DEFAULT, generateFeeds } from '../../generate/feeds.ts';

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
    .description(
      'Write seeded, reproducible landing-zone feeds (SPEC §3) for the days ending at --date: consent, loan tape, contacts, dispositions, suppressions, custom fields',
    )
    .requiredOption('--out <dir>', 'output directory (landing zone)')
    .requiredOption('--date <YYYY-MM-DD>', 'last business date written')
    .option('--customers <n>', `number of accounts (default ${GENERATE_DEFAULTS.customers}; not with --consent-mb)`, integer('--customers'))
    .option(
      '--days <k>',
      `number of days covered, ending at --date (default ${GENERATE_DEFAULTS.days}; with --consent-cadence history the span of the history, default ${GENERATE_DEFAULTS.historyDays})`,
      integer('--days'),
    )
    .option('--seed <s>', 'seed, integer in [0, 2^32)', integer('--seed'), GENERATE_DEFAULTS.seed)
    .option('--consent-mb <m>', 'target total compressed size in MB of the files written; sets the number of accounts', positiveNumber('--consent-mb'))
    .option(
      '--file-mb <m>',
      'approximate compressed size at which one export is split into several files (next sequence numbers, same file date)',
      positiveNumber('--file-mb'),
      GENERATE_DEFAULTS.maxFileMb,
    )
    .option(
      '--consent-cadence <c>',
      "daily: a NON-FIN-BDL snapshot, a SUPPLFWD and an ENRLMT export per day (production); history: monthly snapshots, weekly SUPPLFWD and ENRLMT over --days (the client's sample data; consent feeds only)",
      cadenceChoice,
      GENERATE_DEFAULTS.cadence,
    )
    .option('--history-days <h>', 'days of disposition history before --date (days already written are kept)', integer('--history-days'), HISTORY_DAYS_DEFAULT)
    .option('--feeds <which>', 'all, or consent for the consent feeds only', feedChoice, 'all')
    .action(
      async (options: {
        out: string;
        date: string;
        customers?: number;
        days?: number;
        seed: number;
        consentMb?: number;
        fileMb: number;
        historyDays: number;
        feeds: 'all' | 'consent';
        consentCadence: ConsentCadence;
      }) => {
        if (options.consentCadence === 'history' && options.feeds !== 'consent') {
          throw new Error('--consent-cadence history writes the consent feeds only: add --feeds consent');
        }
        const generated = await generateFeeds({
          out: options.out,
          date: options.date,
          customers: options.customers,
          days: options.days,
          seed: options.seed,
          consentMb: options.consentMb,
          maxFileMb: options.fileMb,
          historyDays: options.historyDays,
          feeds: options.feeds,
          cadence: options.consentCadence,
        });
        const summary = generated.consent;
        const mb = summary.bytes / MB;
        console.log(
          `generated ${summary.dates[0]}..${summary.dates.at(-1)} for ${summary.customers} accounts (seed ${summary.seed}, ${summary.cadence} cadence) into ${summary.out}`,
        );
        for (const { feed } of consentFeeds) {
          const files = summary.files.filter((file) => file.feed === feed);
          const rows = files.reduce((sum, file) => sum + file.rows, 0);
          const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
          console.log(
            `  ${feed.padEnd(12)} ${String(files.length).padStart(4)} files ${String(rows).padStart(12)} rows ${(bytes / MB).toFixed(1).padStart(9)} MB`,
          );
        }
        console.log(
          `  total        ${String(summary.files.length).padStart(4)} files ${String(summary.rows).padStart(12)} rows ${mb.toFixed(1).padStart(9)} MB` +
            ` (${summary.malformedRows} malformed rows) in ${summary.seconds.toFixed(1)} s, ${(mb / summary.seconds).toFixed(1)} MB/s compressed`,
        );
        if (options.feeds === 'consent') return;
        for (const feed of DAILY_FEEDS) {
          const files = generated.files.filter((file) => file.feed === feed);
          const rows = files.reduce((sum, file) => sum + file.rows, 0);
          const bytes = files.reduce((sum, file) => sum + file.bytes, 0);
          const days = new Set(files.map((file) => file.date)).size;
          console.log(
            `  ${feed.padEnd(13)}${String(files.length).padStart(4)} files ${String(rows).padStart(12)} rows ${(bytes / MB).toFixed(1).padStart(9)} MB  ${days} day${days === 1 ? '' : 's'}`,
          );
        }
        const kept = generated.keptDispositionDays.length;
        console.log(
          `  other feeds in ${(generated.seconds - summary.seconds).toFixed(1)} s${kept > 0 ? `; ${kept} disposition days already present, kept` : ''}`,
        );
      },
    );
}

function cadenceChoice(text: string): ConsentCadence {
  const cadence = CONSENT_CADENCES.find((choice) => choice === text);
  if (!cadence) throw new InvalidArgumentError(`--consent-cadence must be ${CONSENT_CADENCES.join(' or ')}`);
  return cadence;
}

function feedChoice(text: string): 'all' | 'consent' {
  if (text !== 'all' && text !== 'consent') throw new InvalidArgumentError('--feeds must be all or consent');
  return text;
}
