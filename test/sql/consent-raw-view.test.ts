import { describe, expect, it } from 'vitest';
import { consentFeeds, selectableColumns } from '../../domain/consent/consent-feeds.ts';
import { loadSql } from '../../sql/sql-files.ts';

describe('the Athena view of each consent feed', () => {
  it.each(consentFeeds.map((layout) => [layout.view, layout] as const))('%s selects no PII column', async (_, layout) => {
    const sql = await loadSql('register/athena/consent_raw_view.sql', {
      view: { sql: layout.view },
      columns: { sql: selectableColumns(layout).join(', ') },
      table: { sql: `${layout.view}_files` },
    });

    expect(sql).not.toMatch(/ssn|_nm_|first_name|last_name/);
  });
});
