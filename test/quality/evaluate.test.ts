import { describe, expect, it } from 'vitest';
import { readQualityThresholds } from '../../adapters/quality-gates.ts';
import { evaluateLayer, QUALITY_CHECKS, QualityGateFailedError, type CheckRow, type LayerFigures } from '../../domain/run/quality-gates.ts';

/** The judgement of check rows against thresholds and the previous accepted figures (pure). */

const D = '2026-11-20';
const thresholds = { ...readQualityThresholds(), min_rows: 100 };

/** Check rows of the facts layer: every check passing, with `patch` applied. */
function factsRows(patch: Record<string, Partial<CheckRow>> = {}): CheckRow[] {
  return Object.entries(QUALITY_CHECKS.facts).map(([name, { kind }]) => ({
    check_name: name,
    observed: kind === 'row_count' ? 1000 : 0,
    total: kind === 'rate' ? 1000 : null,
    ...patch[name],
  }));
}

const yesterday = (observed: number): LayerFigures => ({
  layer: 'facts',
  load_date: '2026-11-19',
  checks: { customers_rows: { observed, total: null }, contacts_rows: { observed: 1000, total: null } },
});

const result = (rows: CheckRow[], previous: LayerFigures | null, gate: string) =>
  evaluateLayer('facts', D, rows, thresholds, previous).results.find((entry) => entry.gate === gate)!;

describe('evaluateLayer', () => {
  it('passes good numbers and returns them as the day’s figures', () => {
    const evaluation = evaluateLayer('facts', D, factsRows(), thresholds, yesterday(1000));

    expect(evaluation.failures).toEqual([]);
    expect(evaluation.results.every((entry) => entry.status === 'passed')).toBe(true);
    expect(evaluation.figures).toMatchObject({ layer: 'facts', load_date: D, checks: { customers_rows: { observed: 1000, total: null } } });
  });

  it('says a count check failed with the number and the threshold', () => {
    const rows = Object.entries(QUALITY_CHECKS.lists).map(([name, { kind }]) => ({
      check_name: name,
      observed: name === 'lists_key_unique' ? 3 : kind === 'row_count' ? 1000 : 0,
      total: kind === 'rate' ? 1000 : null,
    }));
    const failed = evaluateLayer('lists', D, rows, thresholds, null).results.find((entry) => entry.gate === 'lists.lists_key_unique')!;

    expect(failed.status).toBe('failed');
    expect(failed.message).toBe('gate lists.lists_key_unique failed: 3 duplicate (set_name, list_name, payoffuid) in rpt_outbound_lists (threshold 0)');
  });

  it('judges a rate as a percentage of the rows examined', () => {
    const rows = factsRows({ customers_state_invalid: { observed: 25, total: 1000 }, customers_zip_invalid: { observed: 20, total: 1000 } });

    expect(result(rows, null, 'facts.customers_state_invalid').message).toBe(
      'gate facts.customers_state_invalid failed: 25 of 1000 customers whose state is missing or not two capital letters (2.5%, threshold 1%)',
    );
    expect(result(rows, null, 'facts.customers_zip_invalid').status).toBe('passed');
  });

  it('skips a rate above 0 % over fewer than min_rows rows, but judges a 0 % threshold on any number of rows', () => {
    const rows = factsRows({ customers_state_invalid: { observed: 3, total: 10 }, contacts_phone_not_e164: { observed: 1, total: 10 } });

    expect(result(rows, null, 'facts.customers_state_invalid')).toMatchObject({ status: 'skipped' });
    expect(result(rows, null, 'facts.customers_state_invalid').message).toMatch(/rates are judged over at least min_rows 100 rows$/);
    expect(result(rows, null, 'facts.contacts_phone_not_e164')).toMatchObject({ status: 'failed' });
  });

  it('compares a row count with the previous accepted date, within ± the threshold', () => {
    const rows = factsRows({ customers_rows: { observed: 700 } });

    expect(result(rows, yesterday(1000), 'facts.customers_rows').message).toBe(
      'gate facts.customers_rows failed: 700 customers, 1000 on 2026-11-19 (-30%, threshold ±20%)',
    );
    expect(result(rows, yesterday(800), 'facts.customers_rows').status).toBe('passed');
    expect(result(factsRows({ customers_rows: { observed: 1300 } }), yesterday(1000), 'facts.customers_rows').message).toMatch(/\(\+30%, threshold ±20%\)$/);
  });

  it('skips a row count with a note when there is no earlier date, or too few rows on it', () => {
    const rows = factsRows({ customers_rows: { observed: 5 } });

    expect(result(rows, null, 'facts.customers_rows')).toMatchObject({
      status: 'skipped',
      message: 'gate facts.customers_rows skipped: 5 customers; no figures of an earlier date to compare with (first run)',
    });
    expect(result(rows, yesterday(50), 'facts.customers_rows').message).toMatch(/50 on 2026-11-19: fewer than min_rows 100 to compare with$/);
  });

  it('treats a missing, repeated or unknown check row as an error of the SQL', () => {
    const rows = factsRows();

    expect(() => evaluateLayer('facts', D, rows.slice(1), thresholds, null)).toThrow('sql/quality/facts.sql returned no row for check customers_rows');
    expect(() => evaluateLayer('facts', D, [...rows, rows[0]!], thresholds, null)).toThrow('returned check customers_rows twice');
    expect(() => evaluateLayer('facts', D, [...rows, { check_name: 'other', observed: 0, total: null }], thresholds, null)).toThrow('unknown check "other"');
  });

  it('names every failed check in the error', () => {
    const error = new QualityGateFailedError('facts', ['gate facts.a failed: 1 x (threshold 0)', 'gate facts.b failed: 2 y (threshold 0)']);

    expect(error.name).toBe('QualityGateFailedError');
    expect(error.message).toBe('2 data-quality gate(s) of layer facts failed: gate facts.a failed: 1 x (threshold 0); gate facts.b failed: 2 y (threshold 0)');
  });
});
