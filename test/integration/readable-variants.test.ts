import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { runDailyLocally } from '../../local/runtime/daily-run.ts';
import { generateSmallFeeds, LOAD_DATE, publishedDay, type PublishedDay } from './published-day.ts';

/**
 * Issue 11 items 1 and 4, as a reader of the published lists sees them: the same feeds delivered the way real
 * systems write them — account numbers padded with spaces and codes in upper case in the dispositions,
 * suppression scopes and key types in another case, payoffuids in upper case — publish exactly the rows of
 * the clean feeds. Before, the padded dispositions counted toward no account (the Regulation F caps read 0)
 * and the suppression rows were dropped, so capped and suppressed customers were exported.
 */
let root: string;
let clean: PublishedDay;
let variant: PublishedDay;
let illTyped: PublishedDay;

/** Rewrites every `.csv.gz` under `folder` with `edit` applied to each data row (fields by header name). */
async function rewriteRows(folder: string, edit: (row: Record<string, string>) => void): Promise<void> {
  for (const name of await readdir(folder, { recursive: true })) {
    if (!name.endsWith('.csv.gz')) continue;
    const file = join(folder, name);
    const [header, ...lines] = gunzipSync(await readFile(file))
      .toString('utf8')
      .split('\n');
    const columns = header!.split('|');
    const rows = lines
      .filter((line) => line !== '')
      .map((line) => {
        const row = Object.fromEntries(line.split('|').map((value, index) => [columns[index]!, value]));
        edit(row);
        return columns.map((column) => row[column]).join('|');
      });
    await writeFile(file, gzipSync(`${[header, ...rows].join('\n')}\n`));
  }
}

const titleCase = (code: string) => code.charAt(0) + code.slice(1).toLowerCase();

/** The rows without the run id, which hashes the inputs' versions and so differs between the two deliveries. */
const withoutRunId = (day: PublishedDay) =>
  Object.fromEntries(Object.entries(day.rows).map(([table, rows]) => [table, rows.map((row) => row.replace(/"run_id":"[^"]*",?/, ''))]));

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'outbound-variants-'));
  const data = join(root, 'data');
  await generateSmallFeeds(data);
  const variantData = join(root, 'variant');
  await cp(data, variantData, { recursive: true });
  await rewriteRows(join(variantData, 'dispositions'), (row) => {
    row.account_number = `  ${row.account_number} `;
    row.channel = row.channel!.toUpperCase();
  });
  await rewriteRows(join(variantData, 'suppressions'), (row) => {
    row.scope = titleCase(row.scope!);
    row.key_type = row.key_type!.toUpperCase();
    if (row.key_type === 'PAYOFFUID') row.key = row.key!.toUpperCase();
  });
  await rewriteRows(join(variantData, 'contacts'), (row) => {
    row.payoffuid = row.payoffuid!.toUpperCase();
  });
  // The hardship flag as text ("true", "false"): not the registry's boolean.
  const illTypedData = join(root, 'ill-typed');
  await cp(data, illTypedData, { recursive: true });
  for (const name of await readdir(join(illTypedData, 'custom_fields'), { recursive: true })) {
    if (!name.endsWith('.jsonl.gz')) continue;
    const file = join(illTypedData, 'custom_fields', name);
    const text = gunzipSync(await readFile(file))
      .toString('utf8')
      .replace(/"hardship_plan":(true|false)/g, '"hardship_plan":"$1"');
    await writeFile(file, gzipSync(text));
  }
  await runDailyLocally({ data, date: LOAD_DATE, home: join(root, 'clean-home'), steps: 'all' });
  await runDailyLocally({ data: illTypedData, date: LOAD_DATE, home: join(root, 'ill-typed-home'), steps: 'all' });
  illTyped = await publishedDay(join(root, 'ill-typed-home'), LOAD_DATE);
  await runDailyLocally({ data: variantData, date: LOAD_DATE, home: join(root, 'variant-home'), steps: 'all' });
  clean = await publishedDay(join(root, 'clean-home'), LOAD_DATE);
  variant = await publishedDay(join(root, 'variant-home'), LOAD_DATE);
}, 180_000);

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('feeds delivered with padding and codes in another case', () => {
  it('exercise the caps and the suppression register (the comparison means something)', () => {
    const all = [...clean.rows.rpt_outbound_lists_suppression, ...clean.rows.rpt_outbound_list_contacts].join('\n');
    expect(all).toMatch(/FREQUENCY_CAP|WEEKLY_TOUCH_LIMIT/);
    expect(all).toMatch(/CEASE_AND_DESIST|BANKRUPTCY|DECEASED/);
  });

  it('publish exactly the rows of the clean feeds', () => {
    expect(withoutRunId(variant)).toEqual(withoutRunId(clean));
  });
});

describe('a custom field delivered as another type than the registry declares (issue 11 item 5)', () => {
  // The sets of config/campaigns.yaml whose conditions read hardship_plan.
  const readers = ['COLLECTIONS_CALL', 'SERVICING_SMS'];
  const lists = (day: PublishedDay) =>
    day.rows.rpt_outbound_lists.map((row) => JSON.parse(row) as { set_name: string; suppression_flag: boolean; payoffuid: string });

  it('keeps every customer of the sets that read it off their lists, with the reason, and exports none of their contacts', () => {
    const assigned = lists(illTyped).filter((row) => readers.includes(row.set_name));
    expect(assigned.length).toBeGreaterThan(0);
    expect(assigned.every((row) => row.suppression_flag)).toBe(true);
    const reasons = illTyped.rows.rpt_outbound_lists_suppression.map(
      (row) => JSON.parse(row) as { set_name: string; suppression_reason: string; payoffuid: string },
    );
    for (const row of assigned) {
      expect(
        reasons.some(
          (reason) => reason.payoffuid === row.payoffuid && reason.set_name === row.set_name && reason.suppression_reason === 'UNREADABLE_CUSTOM_FIELD',
        ),
      ).toBe(true);
    }
    const contacts = illTyped.rows.rpt_outbound_list_contacts.map((row) => JSON.parse(row) as { set_name: string });
    expect(contacts.filter((row) => readers.includes(row.set_name))).toEqual([]);
  });

  it('leaves the sets that do not read it as the clean feeds decide them', () => {
    const others = (day: PublishedDay) => withoutRunId(day).rpt_outbound_lists!.filter((row) => !readers.some((set) => row.includes(`"set_name":"${set}"`)));
    expect(others(illTyped)).toEqual(others(clean));
  });
});
