import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { OPERATORS } from '../../../../domain/campaigns/schema.ts';
import { DEFAULT_CAMPAIGN_CONFIG } from '../../../../adapters/campaign-config-file.ts';
import { formatPreview, previewCampaigns, registerConfig } from '../../../../local/cli/commands/config.ts';
import { parseCampaignConfig } from '../../../../domain/campaigns/validate.ts';
import { parse } from 'yaml';
import type { CustomerDecision, ListAssignment } from '../../../../domain/campaigns/decision.ts';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'outbound-config-'));
});

afterEach(async () => {
  process.exitCode = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Runs `outbound config …` in process; returns what it printed and the exit code it set. */
async function run(...args: string[]): Promise<{ output: string; exitCode: number }> {
  const program = new Command('outbound').exitOverride().configureOutput({ writeErr: () => undefined });
  registerConfig(program);
  const chunks: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void chunks.push(`${line}\n`));
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => chunks.push(String(chunk)) > 0);
  try {
    await program.parseAsync(['config', ...args], { from: 'user' });
  } finally {
    log.mockRestore();
    write.mockRestore();
  }
  const exitCode = Number(process.exitCode ?? 0);
  process.exitCode = undefined;
  return { output: chunks.join(''), exitCode };
}

const VALID = `version: "1"
custom_fields:
  - { name: risk_score, data_type: number, description: Risk score }
sets:
  - name: COLLECTIONS
    channel: call
    lists:
      - { name: EARLY, priority: 1, purpose: collections, conditions: { source: loan, field: days_past_due, operator: ">", value: 0 } }
      - { name: IDLE, priority: 2, purpose: collections, active: false, conditions: { source: custom_field, field: risk_score, operator: is_null } }
`;

describe('outbound config validate', () => {
  it('accepts the sample configuration, which is the default file', async () => {
    const { output, exitCode } = await run('validate');

    expect(output).toMatch(/^OK: \d+ sets, \d+ lists, \d+ custom fields\n$/);
    expect(exitCode).toBe(0);
    expect(DEFAULT_CAMPAIGN_CONFIG).toBe(path.resolve(import.meta.dirname, '../../../../config/campaigns.yaml'));
  });

  it('counts the sets, lists and custom fields of a valid file', async () => {
    const file = path.join(dir, 'campaigns.yaml');
    await writeFile(file, VALID);

    const { output, exitCode } = await run('validate', file);

    expect(output).toBe('OK: 1 sets, 2 lists, 1 custom fields\n');
    expect(exitCode).toBe(0);
  });

  it('prints one line per problem with its path and line, and exits with 1', async () => {
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, VALID.replace('value: 0', 'value: zero').replace('priority: 2', 'priority: 1'));

    const { output, exitCode } = await run('validate', file);

    expect(output).toBe(
      'sets[0].lists[1].priority: duplicate priority 1 in the set, first at sets[0].lists[0].priority (line 9)\n' +
        'sets[0].lists[0].conditions.value: expected number, got string "zero" (line 8)\n',
    );
    expect(exitCode).toBe(1);
  });

  it('prints a YAML syntax error with its line and column', async () => {
    const file = path.join(dir, 'broken.yaml');
    await writeFile(file, 'version: "1"\nsets:\n  - name: [A\n');

    const { output, exitCode } = await run('validate', file);

    expect(output).toMatch(/^YAML syntax error: .* \(line \d+, column \d+\)\n/);
    expect(exitCode).toBe(1);
  });

  it('refuses a file that does not exist with one clear error', async () => {
    const file = path.join(dir, 'missing.yaml');

    await expect(run('validate', file)).rejects.toThrow(`campaign configuration not found: ${file}`);
  });
});

describe('outbound config schema', () => {
  it('prints a JSON Schema of the file an analyst writes, with recursive conditions', async () => {
    const { output } = await run('schema');

    const schema = JSON.parse(output);
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.required).toEqual(['version', 'sets']);
    expect(schema.additionalProperties).toBe(false);
    const list = schema.properties.sets.items.properties.lists.items;
    // Keys with defaults are optional for the author.
    expect(list.required).toEqual(['name', 'priority', 'purpose', 'conditions']);
    expect(list.properties.conditions).toEqual({ $ref: '#/$defs/Condition' });
    expect(list.properties.ab_test.properties.split).toEqual({ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 });
    const [all, any, not, anyContact, leaf] = schema.$defs.Condition.anyOf;
    expect(all.properties.all).toMatchObject({ type: 'array', minItems: 1, items: { $ref: '#/$defs/Condition' } });
    expect(any.properties.any).toMatchObject({ type: 'array', minItems: 1, items: { $ref: '#/$defs/Condition' } });
    expect(not.properties.not).toEqual({ $ref: '#/$defs/Condition' });
    expect(anyContact.properties.any_contact).toEqual({ $ref: '#/$defs/Condition' });
    expect(leaf.required).toEqual(['source', 'field', 'operator']);
    expect(leaf.properties.operator.enum).toEqual([...OPERATORS]);
    expect(leaf.properties.character).toMatchObject({ type: 'integer', minimum: 1 });
    expect(refsIn(schema).every((ref) => ref === '#/$defs/Condition')).toBe(true);
  });

  it('validates the sample configuration and refuses a broken one (ajv, JSON Schema 2020-12)', async () => {
    const { output } = await run('schema');
    const validate = new Ajv2020({ allErrors: true, allowUnionTypes: true }).compile(JSON.parse(output));
    const sample = parse(await readFile(DEFAULT_CAMPAIGN_CONFIG, 'utf8'));
    const broken = structuredClone(sample);
    broken.sets[0].lists[0].conditions = { all: [{ source: 'loan', field: 'days_past_due', operator: 'around', value: 3 }] };
    broken.sets[0].lists[0].colour = 'red';

    const sampleValid = validate(sample);
    const sampleErrors = validate.errors;
    const brokenValid = validate(broken);

    expect(sampleErrors ?? []).toEqual([]);
    expect(sampleValid).toBe(true);
    expect(brokenValid).toBe(false);
  });
});

describe('outbound config preview', () => {
  it('prints one aligned row per list of the configuration, from the engine run on generated customers', async () => {
    const file = path.join(dir, 'campaigns.yaml');
    await writeFile(file, VALID);

    const { output, exitCode } = await run('preview', file, '--customers', '50', '--seed', '7', '--date', '2026-11-20');

    const lines = output.trimEnd().split('\n');
    expect(lines[0]).toBe('50 generated customers (seed 7), load date 2026-11-20');
    expect(lines[1]).toMatch(/^set +list +priority +assigned +suppressed +contacts +suppressed by reason$/);
    expect(lines[2]).toMatch(/^COLLECTIONS +EARLY +1 +\d+ +\d+ +\d+/);
    expect(lines[3]).toMatch(/^COLLECTIONS +IDLE \(inactive\) +2 +0 +0 +0$/);
    expect(lines).toHaveLength(4);
    expect(exitCode).toBe(0);
  });

  it('refuses a malformed option', async () => {
    await expect(run('preview', '--date', '2026-02-30')).rejects.toThrow(/--date must be a calendar date YYYY-MM-DD/);
  });
});

describe('previewCampaigns', () => {
  it('counts assigned and suppressed customers, each suppression reason once per customer, and the contacts used', () => {
    const parsed = parseCampaignConfig(parse(VALID));
    if (!parsed.ok) throw new Error('VALID is invalid');
    const assignment = (suppressions: string[], contacts: number): ListAssignment => ({
      set_name: 'COLLECTIONS',
      list_name: 'EARLY',
      channel: 'call',
      purpose: 'collections',
      ab_group: null,
      suppressions: suppressions.map((reason) => ({ type: 'LIST', reason, origin: 'rule' })),
      suppressed: suppressions.length > 0,
      contacts: Array.from({ length: contacts }, (_, i) => ({
        related_party_type: 'customer',
        contact_type: 'mobile',
        contact_value: `+1555000000${i}`,
        contact_rank: i + 1,
        timezone: null,
        window_start_utc: null,
        window_end_utc: null,
      })),
      dropped: [],
      calls_allowed_today: 7,
    });
    const decisions: CustomerDecision[] = [
      { payoffuid: 'a', account_number: '1', assignments: [assignment([], 2)] },
      { payoffuid: 'b', account_number: '2', assignments: [assignment(['HARDSHIP_PLAN', 'HARDSHIP_PLAN', 'FRAUD'], 0)] },
      { payoffuid: 'c', account_number: '3', assignments: [assignment(['HARDSHIP_PLAN'], 0)] },
      { payoffuid: 'd', account_number: '4', assignments: [] },
    ];

    const rows = previewCampaigns(parsed.config, decisions);

    expect(rows.map(({ list, assigned, suppressed, contacts }) => ({ list, assigned, suppressed, contacts }))).toEqual([
      { list: 'EARLY', assigned: 3, suppressed: 2, contacts: 2 },
      { list: 'IDLE', assigned: 0, suppressed: 0, contacts: 0 },
    ]);
    expect(formatPreview(rows).split('\n')[1]).toBe('COLLECTIONS  EARLY                   1         3           2         2  HARDSHIP_PLAN 2, FRAUD 1');
  });
});

function refsIn(node: unknown): string[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) => (key === '$ref' ? [value as string] : refsIn(value)));
}

/** Keys of `value` that the schema does not declare, following properties, items, anyOf and $ref. */
