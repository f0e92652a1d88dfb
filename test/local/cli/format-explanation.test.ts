import { describe, expect, it } from 'vitest';
import { compileCampaigns } from '../../../domain/campaigns/engine.ts';
import { formatExplanation } from '../../../local/cli/format-explanation.ts';
import { buildConfig, customerFacts } from '../../domain/campaigns/fixtures.ts';

describe('formatExplanation', () => {
  const config = buildConfig({
    version: 'explain',
    list_history: [{ name: 'kept_early', lists: ['CALLS/EARLY'] }],
    sets: [
      {
        name: 'CALLS',
        channel: 'call',
        lists: [
          {
            name: 'EARLY',
            priority: 0,
            purpose: 'collections',
            contact_required: false,
            conditions: { source: 'customer', field: 'payoffuid', character: 16, operator: 'between', value: ['0', '7'] },
            suppression_rules: [
              { name: 'tested', reason: 'PHONE_TEST', conditions: { source: 'list_history', field: 'kept_early', operator: '<=', value: 6 } },
            ],
          },
        ],
      },
    ],
  });
  const facts = { ...customerFacts({ payoffuid: '0a1b2c3d-4e5f-6371-8b9c-0d1e2f3a4b5c' }), list_history: { kept_early: 2 } };
  const text = formatExplanation(compileCampaigns(config, { loadDate: '2026-03-08' }).explain(facts), 'header', facts);

  it('prints the facts the rules read, the list history among them, without names', () => {
    expect(text).toContain('  list_history: kept_early=2');
    expect(text).toMatch(/ {2}loan: .*days_past_due=45/);
    expect(text).not.toContain('Ann');
    expect(text).not.toContain('Lee');
  });

  it('prints a character leaf with its position and the character compared', () => {
    expect(text).toContain('customer.payoffuid character 16 between ["0","7"]: true — value "3"');
    expect(text).toContain('list_history.kept_early <= 6: true — value 2');
  });
});
