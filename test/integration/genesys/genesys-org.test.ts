import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_CAMPAIGN_CONFIG, readCampaignConfigFile } from '../../../adapters/campaign-config-file.ts';
import { GenesysClient, genesysEndpoints } from '../../../adapters/genesys-client.ts';
import { genesysContactListDefinition } from '../../../domain/exports/layout.ts';
import { builtInTemplate, CALLS_ALLOWED_COLUMN, templateHeader } from '../../../domain/exports/template.ts';
import { CALL_RULE_SET_NAME, desiredGenesysOrg, genesysBoundLists, windowColumns } from '../../../domain/genesys/definitions.ts';
import { dncChanges } from '../../../domain/genesys/dnc.ts';
import { runGenesysCommand } from '../../../local/cli/commands/genesys.ts';
import { startGenesysStandIn, type GenesysStandIn } from '../../../local/runtime/genesys-stand-in.ts';

const CREDENTIALS = { clientId: 'outbound-admin', clientSecret: 's3cr3t' };
let standIn: GenesysStandIn;
const client = () => new GenesysClient({ endpoints: genesysEndpoints(standIn.url), credentials: CREDENTIALS, sleep: async () => undefined });

/** Runs `outbound genesys plan|apply` in process against the stand-in; returns what it printed. */
async function run(action: 'plan' | 'apply', json = false): Promise<string> {
  const lines: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
  try {
    await runGenesysCommand(action, { config: DEFAULT_CAMPAIGN_CONFIG, json }, client());
  } finally {
    log.mockRestore();
  }
  return lines.join('\n');
}

async function defaultConfig() {
  const result = await readCampaignConfigFile(DEFAULT_CAMPAIGN_CONFIG);
  if (!result.ok) throw new Error('the default configuration is invalid');
  return result.config;
}

beforeEach(async () => {
  standIn = await startGenesysStandIn(CREDENTIALS);
});
afterEach(async () => {
  await standIn.close();
});

describe('outbound genesys plan|apply against the local stand-in', () => {
  it('plans on a fresh org what it will create, apply creates it, and a second plan has nothing to do', async () => {
    // Prepare
    const bound = genesysBoundLists(await defaultConfig());
    // Act
    const fresh = await run('plan');
    const applied = await run('apply');
    const again = await run('plan');
    // Assess
    const created = fresh.split('\n').filter((line) => line.startsWith('+ create'));
    expect(created).toHaveLength(bound.length + 2);
    for (const list of bound)
      expect(fresh).toContain(
        `+ create contact list "outbound ${list.setName}/${list.listName}" (${templateHeader(builtInTemplate(list.channel), list.channel).length} columns`,
      );
    expect(fresh).toContain(`+ create rule set "${CALL_RULE_SET_NAME}"`);
    expect(fresh).toContain('+ create DNC list "outbound suppressed phones" (Phone, rds)');
    expect(applied.split('\n').filter((line) => line.startsWith('created'))).toHaveLength(bound.length + 2);
    expect(again.split('\n')[0]).toBe('nothing to do: the Genesys Cloud org is in step with the configuration');
    expect(standIn.contactListIds()).toHaveLength(bound.length);
    const first = await client().contactListByName(`outbound ${bound[0]!.setName}/${bound[0]!.listName}`);
    expect(first).toMatchObject(genesysContactListDefinition(first!.name, bound[0]!.channel, builtInTemplate(bound[0]!.channel)));
  });

  it('plans an update for a contact list that drifted, and apply brings it back in step', async () => {
    // Prepare
    await run('apply');
    const [list] = genesysBoundLists(await defaultConfig());
    const drifted = (await client().contactListByName(`outbound ${list!.setName}/${list!.listName}`))!;
    await client().updateContactList(drifted.id, drifted.version, {
      ...genesysContactListDefinition(drifted.name, list!.channel, builtInTemplate(list!.channel)),
      columnNames: [...drifted.columnNames.slice(0, -1), 'legacy_score'],
    });
    // Act
    const plan = await run('plan');
    await run('apply');
    // Assess
    expect(plan).toContain(
      `~ update contact list "${drifted.name}" (${drifted.id}): columns added: ${drifted.columnNames.at(-1)}; columns removed: legacy_score`,
    );
    expect((await run('plan')).split('\n')[0]).toBe('nothing to do: the Genesys Cloud org is in step with the configuration');
  });
});

describe('the desired org', () => {
  it('refuses, per phone column, a dial outside its own window, and a contact without calls left', async () => {
    // Prepare
    const columns = templateHeader(builtInTemplate('call'), 'call');
    const { phoneColumns } = genesysContactListDefinition('', 'call', builtInTemplate('call'));
    // Act
    const desired = desiredGenesysOrg(await defaultConfig());
    // Assess
    const rules = desired.ruleSet.rules;
    expect(rules.every((rule) => rule.category === 'DIALER_PRECALL' && rule.actions[0]!.actionTypeName === 'DO_NOT_DIAL')).toBe(true);
    expect(rules.flatMap((rule) => rule.conditions.flatMap((condition) => condition.attributeName ?? [])).every((name) => columns.includes(name))).toBe(true);
    for (const phone of phoneColumns) {
      const window = windowColumns(phone.columnName);
      const ofPhone = rules.filter((rule) =>
        rule.conditions.some((condition) => condition.type === 'phoneNumberTypeCondition' && condition.value === phone.type),
      );
      expect(ofPhone.map((rule) => rule.conditions[1])).toEqual([
        { type: 'contactAttributeCondition', inverted: false, attributeName: window.start, operator: 'AFTER', valueType: 'PERIOD', value: 'PT0S' },
        { type: 'contactAttributeCondition', inverted: false, attributeName: window.end, operator: 'BEFORE', valueType: 'PERIOD', value: 'PT0S' },
        { type: 'contactAttributeCondition', inverted: false, attributeName: window.start, operator: 'EQUALS', valueType: 'STRING', value: '' },
      ]);
    }
    const budget = rules.filter((rule) => rule.conditions.some((condition) => condition.attributeName === CALLS_ALLOWED_COLUMN));
    // Only 0 refuses: a blank budget is the export's "no cap applies" (a servicing list stays dialable in its windows).
    expect(budget.map((rule) => rule.conditions)).toEqual([
      [
        {
          type: 'contactAttributeCondition',
          inverted: false,
          attributeName: CALLS_ALLOWED_COLUMN,
          operator: 'LESS_THAN_EQUALS',
          valueType: 'NUMERIC',
          value: '0',
        },
      ],
    ]);
    expect(rules.map((rule) => rule.order)).toEqual(rules.map((_, index) => index));
  });

  it('DNC: adds what is suppressed and exported nowhere today, removes what is exported today, keeps what the day says nothing about', () => {
    // Act
    const changes = dncChanges({ suppressed: ['+1B', '+1C', '+1C', '+1E'], exported: new Set(['+1A', '+1C']), current: ['+1A', '+1D', '+1E'] });
    // Assess
    expect(changes).toEqual({ add: ['+1B'], remove: ['+1A'] });
  });
});
