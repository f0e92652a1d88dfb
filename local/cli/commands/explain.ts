import type { Command } from 'commander';
import { isIsoDate } from '../../../domain/values/load-date.ts';
import { explainLocally } from '../explain.ts';
import { formatExplanation } from '../format-explanation.ts';
import { defaultHome } from '../../runtime/runtime.ts';

/** `outbound explain --customer PAYOFFUID --date D`: why the customer is (or is not) on each list of that day. */
export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description("Explain one customer's lists, suppressions and contacts on a published date (the engine re-run with a trace)")
    .requiredOption('--customer <payoffuid>', 'the customer (payoffuid)')
    .requiredOption('--date <YYYY-MM-DD>', 'load date of a published run')
    .option('--home <dir>', 'home directory of the local state', defaultHome)
    .action(async (options: { customer: string; date: string; home: string }) => {
      if (!isIsoDate(options.date)) program.error(`--date: expected YYYY-MM-DD, got ${options.date}`);
      const result = await explainLocally({ home: options.home, loadDate: options.date, payoffuid: options.customer });
      const header = `customer ${options.customer}, load date ${result.loadDate}, run ${result.runId} (attempt ${result.attempt})`;
      console.log(formatExplanation(result.explanation, header, result.facts));
      for (const cut of result.capacityCuts) {
        console.log(
          `\nset ${cut.set_name}: cut from ${cut.list_name} by list shaping (LIST_CAPACITY, target_size reached), so suppressed in the published tables`,
        );
      }
    });
}
