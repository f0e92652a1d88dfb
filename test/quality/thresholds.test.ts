import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readQualityThresholds } from '../../adapters/quality-gates.ts';
import { loadQualityThresholdsText, parseQualityThresholds, QUALITY_CHECKS, QUALITY_LAYERS, QualityConfigError } from '../../domain/run/quality-gates.ts';

/** config/quality-gates.yaml: the shipped file, and the errors a broken one gives. */

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'outbound-quality-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const shipped = () => readQualityThresholds();

describe('data-quality thresholds', () => {
  it('the shipped file sets a threshold for every check of every layer', () => {
    const thresholds = shipped();

    expect(thresholds.min_rows).toBeGreaterThan(0);
    for (const layer of QUALITY_LAYERS) expect(Object.keys(thresholds[layer]).sort()).toEqual(Object.keys(QUALITY_CHECKS[layer]).sort());
  });

  it('names a missing check, an unknown key and a value of the wrong kind with their paths', () => {
    const { facts, ...rest } = shipped();
    const { customers_rows: _dropped, ...factsWithoutRows } = facts;
    const broken = {
      ...rest,
      facts: { ...factsWithoutRows, customers_state_invalid: { max_pct: '1' }, customers_zip_invalid: { max: 2 } },
      lists: { ...rest.lists, lists_rows_typo: { max_change_pct: 5 } },
    };

    const parse = () => parseQualityThresholds(broken, 'quality-gates.yaml');

    expect(parse).toThrow(QualityConfigError);
    expect(parse).toThrow(/invalid data-quality gate thresholds in quality-gates\.yaml: /);
    expect(parse).toThrow(/facts\.customers_rows: /);
    expect(parse).toThrow(/facts\.customers_state_invalid\.max_pct: /);
    expect(parse).toThrow(/facts\.customers_zip_invalid: .*max/);
    expect(parse).toThrow(/lists: .*lists_rows_typo/);
  });

  it('refuses out-of-range numbers: a percentage over 100, a negative count, min_rows 0', () => {
    const thresholds = shipped();
    const broken = {
      ...thresholds,
      min_rows: 0,
      phone_consent: { ...thresholds.phone_consent, phone_number_not_e164: { max_pct: 101 }, delete_inconsistent: { max: -1 } },
    };

    const parse = () => parseQualityThresholds(broken, 'x.yaml');

    expect(parse).toThrow(/min_rows: /);
    expect(parse).toThrow(/phone_consent\.phone_number_not_e164\.max_pct: /);
    expect(parse).toThrow(/phone_consent\.delete_inconsistent\.max: /);
  });

  it('reports a YAML syntax error with its line, and reads JSON by the file name', () => {
    const yaml = 'min_rows: 100\nfacts:\n  customers_rows: { max_change_pct: 20\n';
    const json = JSON.stringify(shipped());

    expect(() => loadQualityThresholdsText(yaml, 'quality-gates.yaml')).toThrow(/quality-gates\.yaml: YAML syntax error at line \d+/);
    expect(loadQualityThresholdsText(json, 'quality-gates.json')).toEqual(shipped());
    expect(() => loadQualityThresholdsText('{"min_rows": ', 'quality-gates.json')).toThrow(/quality-gates\.json: JSON syntax error/);
  });

  it('names the file it cannot read', async () => {
    const missing = join(dir, 'absent.yaml');
    const invalid = join(dir, 'invalid.yaml');
    await writeFile(invalid, 'min_rows: 100\n');

    expect(() => readQualityThresholds(missing)).toThrow(`cannot read the data-quality gate thresholds ${missing}`);
    expect(() => readQualityThresholds(invalid)).toThrow(new RegExp(`invalid data-quality gate thresholds in ${invalid}: .*consent_bronze`));
  });
});
