import { describe, expect, it } from 'vitest';
import { loadCampaignConfigText } from '../../../domain/campaigns/load-config.ts';

const YAML = `version: "2026.11.1"
custom_fields:
  - name: last_research_date
    data_type: date
    description: Date the account was last researched
sets:
  - name: RESEARCH
    channel: call
    lists:
      - name: NO_PHONE
        priority: 1
        purpose: collections
        contact_required: false
        conditions:
          all:
            - source: derived
              field: usable_phone_count
              operator: "="
              value: 0
            - source: custom_field
              field: last_research_date
              operator: "<"
              value: 2026-08-01
`;

function problems(text: string, fileName: string) {
  const result = loadCampaignConfigText(text, fileName);
  return result.ok ? [] : result.problems;
}

describe('loadCampaignConfigText', () => {
  it('reads YAML 1.2, where an unquoted date stays a string', () => {
    const result = loadCampaignConfigText(YAML, 'campaigns.yaml');

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.config.sets[0]!.lists[0]!.conditions).toEqual({
      all: [
        { source: 'derived', field: 'usable_phone_count', operator: '=', value: 0 },
        { source: 'custom_field', field: 'last_research_date', operator: '<', value: '2026-08-01' },
      ],
    });
  });

  it('reports a YAML syntax error with its line and column', () => {
    const text = YAML.replace('        priority: 1\n', '        priority: [1\n');

    const found = problems(text, 'campaigns.yaml');

    expect(found.length).toBeGreaterThan(0);
    expect(found[0]).toMatchObject({ path: '', line: 12, column: 9 });
    expect(found[0]!.message).toMatch(/^YAML syntax error: Flow sequence in block collection must be sufficiently indented/);
    expect(found[0]!.message).not.toContain('\n');
  });

  it('reports a duplicated YAML key as a syntax error on its line', () => {
    const text = YAML.replace('        priority: 1\n', '        priority: 1\n        priority: 2\n');

    const found = problems(text, 'campaigns.yaml');

    expect(found).toEqual([{ path: '', message: 'YAML syntax error: Map keys must be unique', line: 12, column: 9 }]);
  });

  it('gives each problem the line of its node, of a misspelt key, or of the parent of a missing key', () => {
    const text = YAML.replace('value: 0', 'value: none').replace('operator: "<"', 'opertor: "<"');

    const found = problems(text, 'campaigns.yaml');

    expect(found).toEqual([
      { path: 'sets[0].lists[0].conditions.all[1].operator', message: expect.stringMatching(/^required: one of "=", /), line: 20 },
      { path: 'sets[0].lists[0].conditions.all[1].opertor', message: 'unknown key; expected one of source, field, operator, character, value', line: 22 },
      { path: 'sets[0].lists[0].conditions.all[0].value', message: 'expected number, got string "none"', line: 19 },
    ]);
  });

  it('reads JSON by the file extension and locates its problems too', () => {
    const text = JSON.stringify({ version: '1', sets: [{ name: 'S', channel: 'fax', lists: [] }] }, null, 2);

    const found = problems(text, 'campaigns.JSON');

    expect(found).toEqual([
      { path: 'sets[0].channel', message: 'expected one of "call", "sms", "email", "mail"', line: 6 },
      { path: 'sets[0].lists', message: 'a set needs at least one list', line: 7 },
    ]);
  });

  it('accepts valid JSON', () => {
    const text = JSON.stringify({
      version: '1',
      sets: [
        {
          name: 'S',
          channel: 'email',
          lists: [{ name: 'L', priority: 1, purpose: 'marketing', conditions: { source: 'loan', field: 'loan_status', operator: '=', value: 'PAID_OFF' } }],
        },
      ],
    });

    const result = loadCampaignConfigText(text, 'campaigns.json');

    expect(result.ok).toBe(true);
  });

  it('reports a JSON syntax error with its line and column', () => {
    const text = '{\n  "version": "1",\n  "sets": [,]\n}';

    const found = problems(text, 'campaigns.json');

    expect(found).toEqual([{ path: '', message: "JSON syntax error: Unexpected token ','", line: 3, column: 12 }]);
  });

  it('reports JSON cut short at its end', () => {
    const text = '{\n  "version": "1",\n  "sets": [';

    const found = problems(text, 'campaigns.json');

    expect(found).toEqual([{ path: '', message: 'JSON syntax error: Unexpected end of JSON input', line: 3, column: 12 }]);
  });

  it('does not read YAML as JSON', () => {
    const found = problems(YAML, 'campaigns.json');

    expect(found).toHaveLength(1);
    expect(found[0]!.message).toMatch(/^JSON syntax error: /);
  });
});
