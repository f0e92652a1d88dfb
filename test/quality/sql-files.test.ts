import { describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { QUALITY_LAYERS } from '../../domain/run/quality-gates.ts';

/** The data-quality SQL: one file per layer (each passes the Athena guard of test/sql/trino-guard.test.ts). */

describe('data-quality SQL', () => {
  it('has exactly one file per layer', async () => {
    const files = (await readdir(fileURLToPath(new URL('../../sql/quality/', import.meta.url)))).filter((name) => name.endsWith('.sql'));

    expect(files.sort()).toEqual(QUALITY_LAYERS.map((layer) => `${layer}.sql`).sort());
  });
});
