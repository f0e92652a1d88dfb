import { describe, expect, it } from 'vitest';
import type { ExportManifestFile } from '../../../domain/exports/manifest.ts';
import { parsePartnerRegistry, planDeliveries } from '../../../domain/exports/partners.ts';

/** The partner registry (OUTBOUND_PARTNERS) and the plan of a manifest's deliveries. */
const KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOaGl1q1nuqOqxdxhj6qbwO9hOzKnBdNlrZQl5Ih0jQZ';
const simm = { host: 'sftp.simm.example', port: 22, username: 'outbound', trustedHostKey: KEY, remoteDirectory: '/inbound' };

const entry = (file: string, delivery: string | null): ExportManifestFile => ({
  file,
  set_name: file.split('/')[0]!,
  list_name: file.split('/')[1]!.replace(/\.csv$/, ''),
  channel: 'call',
  rows: 1,
  bytes: 10,
  sha256: 'a'.repeat(64),
  contacts_not_exported: 0,
  part: null,
  contact_id_column: null,
  account_column: null,
  delivery,
});

describe('the partner registry', () => {
  it('reads the JSON of OUTBOUND_PARTNERS, with the default port; unset or empty is no partner', () => {
    // Act
    const registry = parsePartnerRegistry(JSON.stringify({ simm: { ...simm, port: undefined } }), 'OUTBOUND_PARTNERS');
    // Assess
    expect(registry).toEqual({ simm: { ...simm, port: 22 } });
    expect(parsePartnerRegistry(undefined, 'OUTBOUND_PARTNERS')).toEqual({});
    expect(parsePartnerRegistry('  ', 'OUTBOUND_PARTNERS')).toEqual({});
  });

  it('refuses text that is not JSON, naming the variable and the expected shape', () => {
    expect(() => parsePartnerRegistry('{simm', 'OUTBOUND_PARTNERS')).toThrow(/^OUTBOUND_PARTNERS: not valid JSON \(expected \{"<partner>": \{"host"/);
  });

  it('names every problem: a non-snake_case partner, a key that is not an OpenSSH line, a relative directory, an unknown field, a connector without a check directory', () => {
    // Prepare
    const text = JSON.stringify({
      Simm: simm,
      email_provider: { ...simm, trustedHostKey: 'not a key', remoteDirectory: 'inbound', password: 'never here' },
      simm: { ...simm, connectorId: 'c-0123456789abcdef0' },
    });
    // Act
    const failure = (() => {
      try {
        parsePartnerRegistry(text, 'OUTBOUND_PARTNERS');
      } catch (error) {
        return (error as Error).message;
      }
    })();
    // Assess
    expect(failure).toMatch(/^OUTBOUND_PARTNERS: not a partner registry: /);
    expect(failure).toContain('partner names are snake_case');
    expect(failure).toContain('expected an OpenSSH public key line');
    expect(failure).toContain('expected an absolute path');
    expect(failure).toContain('password');
    expect(failure).toContain('needs a checkDirectory');
    expect(failure).not.toContain('never here');
  });
});

describe('the plan of deliveries', () => {
  const registry = { simm: { ...simm }, email_provider: { ...simm, username: 'esp' } };

  it('groups the files with a delivery by partner, in manifest order, each under its own name; files without one are left out', () => {
    // Act
    const plan = planDeliveries(
      [entry('COLL/SIMM.csv', 'simm'), entry('COLL/CALL.csv', null), entry('MKT/PIF.csv', 'email_provider'), entry('COLL/SIMM_B.csv', 'simm')],
      registry,
    );
    // Assess
    expect([...plan.keys()]).toEqual(['simm', 'email_provider']);
    expect(plan.get('simm')!.map((delivery) => [delivery.entry.file, delivery.remoteName])).toEqual([
      ['COLL/SIMM.csv', 'SIMM.csv'],
      ['COLL/SIMM_B.csv', 'SIMM_B.csv'],
    ]);
  });

  it('is empty when no file has a delivery', () => {
    expect(planDeliveries([entry('COLL/CALL.csv', null)], {}).size).toBe(0);
  });

  it('fails on a partner the registry does not know, naming it, its files and the partners it knows', () => {
    expect(() => planDeliveries([entry('COLL/SIMM.csv', 'simm'), entry('COLL/X.csv', 'collector')], registry)).toThrow(
      'cannot deliver the exports: partner collector (COLL/X.csv) is not in the partner registry (email_provider, simm)',
    );
    expect(() => planDeliveries([entry('COLL/SIMM.csv', 'simm')], {})).toThrow('partner simm (COLL/SIMM.csv) is not in the partner registry (empty)');
  });

  it('fails on two files of one partner with the same name, which would overwrite each other', () => {
    expect(() => planDeliveries([entry('A/SIMM.csv', 'simm'), entry('B/SIMM.csv', 'simm')], registry)).toThrow(
      'partner simm: A/SIMM.csv and B/SIMM.csv would both be delivered as SIMM.csv',
    );
  });
});
