import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileCampaigns } from '../../../domain/campaigns/engine.ts';
import type { CampaignConfig } from '../../../domain/campaigns/schema.ts';
import { parseCampaignConfig } from '../../../domain/campaigns/validate.ts';
import type { CustomerDecision } from '../../../domain/campaigns/decision.ts';
import type { CustomerFacts } from '../../../domain/campaigns/facts.ts';
import { LOAD_DATES, campaignConfigArb, customerArb } from './arbitraries.ts';
import { buildConfig, customerFacts } from './fixtures.ts';
import { assignedList, conditionHolds, explainCondition, listActiveOn, referenceEvaluate, type ReferenceDecision } from './reference-evaluator.ts';

/**
 * The compiled engine against the naive reference evaluator, on random valid configurations and
 * random customers. Each run compiles one configuration and evaluates a handful of customers.
 */

interface Scenario {
  loadDate: string;
  config: CampaignConfig;
  customers: CustomerFacts[];
}

const scenarioArb: fc.Arbitrary<Scenario> = fc.constantFrom(...LOAD_DATES).chain((loadDate) =>
  campaignConfigArb(loadDate).chain((config) =>
    fc.record({
      loadDate: fc.constant(loadDate),
      config: fc.constant(config),
      customers: fc.array(customerArb(config, loadDate), { minLength: 1, maxLength: 8 }),
    }),
  ),
);

const RUNS = { numRuns: 300 };

/** The engine's decision in the reference's shape: the A/B hash is the engine's, so only its presence is compared. */
function comparable(decision: CustomerDecision, config: CampaignConfig): ReferenceDecision {
  return {
    payoffuid: decision.payoffuid,
    account_number: decision.account_number,
    assignments: decision.assignments.map(({ ab_group, calls_allowed_today, ...assignment }) => {
      const list = config.sets.find((set) => set.name === assignment.set_name)!.lists.find((candidate) => candidate.name === assignment.list_name)!;
      expect(ab_group === null).toBe(list.ab_test === undefined);
      // The facts filters cap nothing: only the compliance filters count a budget (test/compliance).
      expect(calls_allowed_today).toBeNull();
      return { ...assignment, ab_test: list.ab_test?.name ?? null };
    }),
  };
}

function setToList(decision: { assignments: readonly { set_name: string; list_name: string }[] }): Record<string, string> {
  return Object.fromEntries(decision.assignments.map((assignment) => [assignment.set_name, assignment.list_name]));
}

/** The same configuration without any customer-level suppression: rules, cross-set and cross-list exclusions. */
function withoutSuppressions(config: CampaignConfig): CampaignConfig {
  return {
    ...config,
    suppression_rules: [],
    sets: config.sets.map((set) => ({
      ...set,
      suppression_rules: [],
      exclude_if_assigned_in: [],
      lists: set.lists.map((list) => ({ ...list, suppression_rules: [], exclude_if_on_lists: [] })),
    })),
  };
}

describe('engine properties against the reference evaluator', () => {
  it('(a) assigns at most one list per set, in configuration order of the sets', () => {
    fc.assert(
      fc.property(scenarioArb, ({ loadDate, config, customers }) => {
        const engine = compileCampaigns(config, { loadDate });
        const setOrder = config.sets.map((set) => set.name);
        for (const customer of customers) {
          const names = engine.evaluate(customer).assignments.map((assignment) => assignment.set_name);
          expect(new Set(names).size).toBe(names.length);
          expect(names).toEqual(setOrder.filter((name) => names.includes(name)));
        }
      }),
      RUNS,
    );
  });

  it('(b) assigns the first active list in priority order whose conditions hold', () => {
    fc.assert(
      fc.property(scenarioArb, ({ loadDate, config, customers }) => {
        const engine = compileCampaigns(config, { loadDate });
        for (const customer of customers) {
          expect(setToList(engine.evaluate(customer))).toEqual(setToList(referenceEvaluate(config, loadDate, customer)));
        }
      }),
      RUNS,
    );
  });

  it('(c) suppression never changes the assignment', () => {
    fc.assert(
      fc.property(scenarioArb, ({ loadDate, config, customers }) => {
        const engine = compileCampaigns(config, { loadDate });
        const unsuppressed = compileCampaigns(withoutSuppressions(config), { loadDate });
        for (const customer of customers) {
          const decision = engine.evaluate(customer);
          const withoutFeed = unsuppressed.evaluate({ ...customer, suppressions: [] });
          expect(setToList(decision)).toEqual(setToList(withoutFeed));
        }
      }),
      RUNS,
    );
  });

  it("(d, e) suppressions, contacts and dropped contacts equal the reference's", () => {
    fc.assert(
      fc.property(scenarioArb, ({ loadDate, config, customers }) => {
        const engine = compileCampaigns(config, { loadDate });
        for (const customer of customers) {
          expect(comparable(engine.evaluate(customer), config)).toEqual(referenceEvaluate(config, loadDate, customer));
        }
      }),
      RUNS,
    );
  });

  it('(f) explain reaches the same decision as evaluate', () => {
    fc.assert(
      fc.property(scenarioArb, ({ loadDate, config, customers }) => {
        const engine = compileCampaigns(config, { loadDate });
        for (const customer of customers) {
          const explanation = engine.explain(customer);
          expect(explanation.decision).toEqual(engine.evaluate(customer));
          expect(explanation.sets.map((set) => set.assigned_list)).toEqual(config.sets.map((set) => setToList(explanation.decision)[set.name] ?? null));
        }
      }),
      RUNS,
    );
  });

  it("(f) explain shows each list in priority order, each tried one with the reference's trace of its conditions", () => {
    fc.assert(
      fc.property(scenarioArb, ({ loadDate, config, customers }) => {
        const engine = compileCampaigns(config, { loadDate });
        for (const customer of customers) {
          const explanation = engine.explain(customer);
          for (const set of config.sets) {
            let assigned = false;
            const expected = [...set.lists]
              .sort((a, b) => a.priority - b.priority)
              .map((list) => {
                const base = { list_name: list.name, priority: list.priority };
                if (!listActiveOn(list, loadDate)) return { ...base, outcome: 'inactive', conditions: null };
                if (assigned) return { ...base, outcome: 'not_tried', conditions: null };
                assigned = conditionHolds(list.conditions, customer, loadDate);
                return { ...base, outcome: assigned ? 'assigned' : 'conditions_not_met', conditions: explainCondition(list.conditions, customer, loadDate) };
              });
            expect(explanation.sets.find((candidate) => candidate.set_name === set.name)!.lists).toEqual(expected);
          }
        }
      }),
      RUNS,
    );
  });

  it("(f) explain shows every suppression rule of the assigned list's levels with the reference's trace", () => {
    fc.assert(
      fc.property(scenarioArb, ({ loadDate, config, customers }) => {
        const engine = compileCampaigns(config, { loadDate });
        for (const customer of customers) {
          const explanation = engine.explain(customer);
          for (const set of config.sets) {
            const list = assignedList(set, customer, loadDate);
            const levels = [
              ['GLOBAL', config.suppression_rules],
              ['SET', set.suppression_rules],
              ['LIST', list?.suppression_rules ?? []],
            ] as const;
            const suppressedGlobally =
              customer.suppressions.some((entry) => entry.scope === 'GLOBAL') ||
              config.suppression_rules.some((rule) => conditionHolds(rule.conditions, customer, loadDate));
            const expected =
              list === null
                ? []
                : levels.flatMap(([level, rules]) =>
                    rules.map((rule) =>
                      level !== 'GLOBAL' && rule.unless_suppressed_globally && suppressedGlobally
                        ? { rule: rule.name, level, outcome: false, not_evaluated: 'suppressed_globally', conditions: null }
                        : {
                            rule: rule.name,
                            level,
                            outcome: conditionHolds(rule.conditions, customer, loadDate),
                            conditions: explainCondition(rule.conditions, customer, loadDate),
                          },
                    ),
                  );
            expect(explanation.sets.find((candidate) => candidate.set_name === set.name)!.suppression_rules).toEqual(expected);
          }
        }
      }),
      RUNS,
    );
  });
});

describe('generated configurations', () => {
  it('are valid configurations', () => {
    fc.assert(
      fc.property(scenarioArb, ({ config }) => {
        const result = parseCampaignConfig(config);
        expect(result.ok ? [] : result.problems).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });
});

describe('A/B groups', () => {
  const SAMPLE = fc.sample(fc.uuid(), { numRuns: 20_000, seed: 20260308 });

  function abConfig(testName: string, split: number): CampaignConfig {
    return buildConfig({
      version: 'ab',
      sets: [
        {
          name: 'S',
          channel: 'call',
          lists: [
            {
              name: 'L',
              priority: 1,
              purpose: 'collections',
              contact_required: false,
              ab_test: { name: testName, split },
              conditions: { source: 'loan', field: 'days_past_due', operator: 'is_not_null' },
            },
          ],
        },
      ],
    });
  }

  function groups(config: CampaignConfig, loadDate: string, payoffuids: readonly string[]): ('A' | 'B' | null)[] {
    const engine = compileCampaigns(config, { loadDate });
    return payoffuids.map((payoffuid) => engine.evaluate(customerFacts({ payoffuid })).assignments[0]!.ab_group);
  }

  it('(g) gives a customer the same group on every load date', () => {
    fc.assert(
      fc.property(fc.uuid(), fc.constantFrom(0.1, 0.5, 0.73), fc.constantFrom('AB_TONE', 'AB_TIME'), (payoffuid, split, testName) => {
        const config = abConfig(testName, split);
        const [first] = groups(config, '2026-03-08', [payoffuid]);
        expect(first === 'A' || first === 'B').toBe(true);
        for (const loadDate of ['2026-03-09', '2027-01-01']) expect(groups(config, loadDate, [payoffuid])).toEqual([first]);
      }),
      { numRuns: 200 },
    );
  });

  it.each([0.1, 0.5, 0.73, 0.95])('(g) puts a share of about %d of many customers in A (5 standard deviations)', (split) => {
    // Prepare: a fixed sample, so the bound cannot fail by chance from one run to the next.
    const config = abConfig('AB_SHARE', split);
    // Act
    const inA = groups(config, '2026-03-08', SAMPLE).filter((group) => group === 'A').length;
    // Assess
    const n = SAMPLE.length;
    expect(Math.abs(inA - n * split)).toBeLessThanOrEqual(5 * Math.sqrt(n * split * (1 - split)));
  });

  it('(g) groups depend on the test name: two 50/50 tests agree on about half the customers', () => {
    const sample = SAMPLE.slice(0, 4_000);
    const tone = groups(abConfig('AB_TONE', 0.5), '2026-03-08', sample);
    const time = groups(abConfig('AB_TIME', 0.5), '2026-03-08', sample);
    const agree = tone.filter((group, i) => group === time[i]).length;
    expect(Math.abs(agree - 2_000)).toBeLessThanOrEqual(5 * Math.sqrt(4_000 * 0.25));
  });
});
