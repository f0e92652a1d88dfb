import { describe, expect, it } from 'vitest';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dailyFeeds } from '../../domain/feeds/daily-feeds.ts';

const sqlRoot = fileURLToPath(new URL('../../sql/', import.meta.url));

describe('Athena tables of the daily feeds', () => {
  it.each(['loan_tape', 'contacts', 'dispositions', 'suppressions', 'contact_rules', 'payment_requests', 'zip_suppressions'] as const)(
    'declares the %s columns in the order both engines read them by position (domain/feeds/daily-feeds.ts)',
    async (feed) => {
      const ddl = await readFile(join(sqlRoot, 'register', 'athena', `${feed}_files.sql`), 'utf8');

      const body = /CREATE EXTERNAL TABLE IF NOT EXISTS \w+ \(([^)]*)\)/.exec(ddl)?.[1] ?? '';
      const columns = body.split(',').map((column) => column.trim().split(/\s+/)[0]!.replaceAll('`', ''));

      // One column past the feed's: a row with more fields shows in it (row_problem of the views).
      expect(columns).toEqual([...dailyFeeds[feed].columns, 'extra_fields']);
    },
  );
});
