import { InvalidArgumentError, type Command } from 'commander';
import { formatProblem } from '../../../domain/campaigns/config-problems.ts';
import type { CustomerDecision } from '../../../domain/campaigns/decision.ts';
import { compileCampaigns } from '../../../domain/campaigns/engine.ts';
import { campaignConfigJsonSchema, type CampaignConfig } from '../../../domain/campaigns/schema.ts';
import { easternDate, isIsoDate } from '../../../domain/values/load-date.ts';
import { DEFAULT_CAMPAIGN_CONFIG, readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { formatTable } from '../format.ts';
import { generateCustomerFacts } from '../../generate/customer-facts.ts';

/** `outbound config validate|schema|preview`: the campaign configuration (§5) checked, described for editors, tried out. */
export function registerConfig(program: Command): void {
  const config = program.command('config').description('Check the campaign configuration, print its JSON Schema, or preview its lists');

  config
    .command('validate')
    .description('Validate a campaign configuration: prints every problem with its path and line, exit code 1 if any')
    .argument('[file]', 'YAML, or JSON by its .json extension', DEFAULT_CAMPAIGN_CONFIG)
    .action(async (file: string) => {
      const result = await readCampaignConfigFile(file);
      if (!result.ok) {
        for (const problem of result.problems) console.log(formatProblem(problem));
        process.exitCode = 1;
        return;
      }
      const { sets, custom_fields: customFields } = result.config;
      const lists = sets.reduce((sum, set) => sum + set.lists.length, 0);
      console.log(`OK: ${sets.length} sets, ${lists} lists, ${customFields.length} custom fields`);
    });

  config
    .command('schema')
    .description('Print the JSON Schema of the campaign configuration (for editors)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(campaignConfigJsonSchema(), null, 2)}\n`);
    });

  config
    .command('preview')
    .description('Evaluate a configuration on generated customers and print, per list, customers assigned, suppressed and contacts used')
    .argument('[file]', 'YAML, or JSON by its .json extension', DEFAULT_CAMPAIGN_CONFIG)
    .option('--customers <n>', 'number of generated customers', positiveInteger('--customers'), 10_000)
    .option('--seed <s>', 'seed of the generated customers, integer in [0, 2^32)', seed, 1)
    .option('--date <YYYY-MM-DD>', 'load date (default: today in New York)', isoDate)
    .action(async (file: string, options: { customers: number; seed: number; date?: string }) => {
      const result = await readCampaignConfigFile(file);
      if (!result.ok) {
        for (const problem of result.problems) console.log(formatProblem(problem));
        process.exitCode = 1;
        return;
      }
      const loadDate = options.date ?? easternDate(new Date());
      const engine = compileCampaigns(result.config, { loadDate });
      const customers = generateCustomerFacts({ seed: options.seed, customers: options.customers, loadDate });
      console.log(`${options.customers} generated customers (seed ${options.seed}), load date ${loadDate}`);
      console.log(
        formatPreview(
          previewCampaigns(
            result.config,
            customers.map((customer) => engine.evaluate(customer)),
          ),
        ),
      );
    });
}

export interface ListPreview {
  set: string;
  list: string;
  priority: number;
  active: boolean;
  assigned: number;
  suppressed: number;
  /** Customers per suppression reason; a customer counts once under each reason that applied. */
  reasons: Map<string, number>;
  contacts: number;
}

/** Counts per list of the configuration, in configuration order, from the engine's decisions. */
export function previewCampaigns(config: CampaignConfig, decisions: readonly CustomerDecision[]): ListPreview[] {
  const rows = new Map<string, ListPreview>();
  for (const set of config.sets) {
    for (const list of set.lists) {
      rows.set(`${set.name}/${list.name}`, {
        set: set.name,
        list: list.name,
        priority: list.priority,
        active: list.active,
        assigned: 0,
        suppressed: 0,
        reasons: new Map(),
        contacts: 0,
      });
    }
  }
  for (const decision of decisions) {
    for (const assignment of decision.assignments) {
      const row = rows.get(`${assignment.set_name}/${assignment.list_name}`)!;
      row.assigned += 1;
      if (assignment.suppressed) row.suppressed += 1;
      for (const reason of new Set(assignment.suppressions.map((suppression) => suppression.reason))) {
        row.reasons.set(reason, (row.reasons.get(reason) ?? 0) + 1);
      }
      row.contacts += assignment.contacts.length;
    }
  }
  return [...rows.values()];
}

export function formatPreview(rows: readonly ListPreview[]): string {
  const header = ['set', 'list', 'priority', 'assigned', 'suppressed', 'contacts', 'suppressed by reason'];
  const table = rows.map((row) => [
    row.set,
    row.active ? row.list : `${row.list} (inactive)`,
    String(row.priority),
    String(row.assigned),
    String(row.suppressed),
    String(row.contacts),
    [...row.reasons]
      .sort(([, a], [, b]) => b - a)
      .map(([reason, count]) => `${reason} ${count}`)
      .join(', '),
  ]);
  return formatTable(header, table, [false, false, true, true, true, true, false]);
}

function positiveInteger(name: string) {
  return (text: string): number => {
    if (!/^[1-9]\d*$/.test(text)) throw new InvalidArgumentError(`${name} must be a positive integer`);
    return Number(text);
  };
}

function seed(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) >= 2 ** 32) throw new InvalidArgumentError('--seed must be an integer in [0, 2^32)');
  return Number(text);
}

function isoDate(text: string): string {
  if (!isIsoDate(text)) throw new InvalidArgumentError('--date must be a calendar date YYYY-MM-DD');
  return text;
}
