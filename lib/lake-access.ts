import { resources } from '../config/resources.ts';
import { acceptedOnPass, QUALITY_LAYERS } from '../domain/run/quality-gates.ts';
import { lakeTablePrefix, publishedPrefix, qualityLayout, runLayout, transientPrefix } from '../domain/run/run-layout.ts';
import { attemptsTable, consentStateTables, consentTables, optOutRegisterTable, publishedTables } from '../domain/run/lake-tables.ts';
import type { ObjectAccess } from './access.ts';

/** One grant of lake objects: a key prefix (IAM pattern: `*` stands for any date or attempt) and what may be done under it. */
export interface LakeGrant {
  prefix: string;
  access: ObjectAccess;
}

/** Every date, every attempt: the IAM pattern of a key built by runLayout / qualityLayout. */
const anyDate = '*';
const anyAttempt = '*';

const readTable = { list: true, read: true };
/** A table whose partitions the step replaces (CTAS to a fresh location, then the old objects deleted). */
const replaceTable = { list: true, read: true, write: true, delete: true };
/** Where Athena writes query results and CTAS/UNLOAD metadata, with the caller's credentials. */
const athenaResults: LakeGrant = { prefix: resources.prefixes.athenaResults, access: { list: true, read: true, write: true } };
/** Run-scoped tables (createTransient) and the engine's manifests; written under a fresh token, never deleted. */
const transient: LakeGrant = { prefix: transientPrefix, access: { list: true, read: true, write: true } };
const table = (name: string, access: ObjectAccess): LakeGrant => ({ prefix: lakeTablePrefix(name), access });
const configSnapshot = runLayout.configSnapshot(anyDate, anyAttempt);
const attemptFigures = (layer: (typeof QUALITY_LAYERS)[number]): LakeGrant => ({
  prefix: qualityLayout.attempt(layer, anyDate, anyAttempt),
  access: { read: true, write: true, tag: true },
});
const acceptedFigures = (layer: (typeof QUALITY_LAYERS)[number], access: ObjectAccess): LakeGrant => ({ prefix: qualityLayout.acceptedPrefix(layer), access });

/**
 * What each step that runs Athena may do in the lake bucket, prefix by prefix (docs/infrastructure.md "Lambda
 * functions"), built from the constants the steps' code builds its keys and table locations from, so that a table
 * or a key the code gains is granted here or fails test/lib/lake-access.test.ts.
 */
export const lakeGrants = {
  'consent-transform': [
    athenaResults,
    transient,
    ...[...Object.values(consentStateTables), ...Object.values(consentTables)].map((name) => table(name, replaceTable)),
    // UNLOAD into an emptied prefix; a pending load's objects are read back.
    { prefix: resources.prefixes.consentChanges, access: replaceTable },
    ...QUALITY_LAYERS.filter(acceptedOnPass).map((layer) => acceptedFigures(layer, { list: true, read: true, write: true })),
  ],
  'build-customer-facts': [
    athenaResults,
    transient,
    table(consentTables.gold, readTable),
    table(optOutRegisterTable, replaceTable),
    { prefix: resources.prefixes.optOutEvents, access: readTable },
    // Raw objects verified again at use are remembered, as by PrepareRun.
    { prefix: resources.prefixes.rawVerified, access: { list: true, write: true } },
    { prefix: runLayout.factsPrefix(anyDate, anyAttempt), access: { ...replaceTable, tag: true } },
    attemptFigures('facts'),
    acceptedFigures('facts', readTable),
    // The list-history facts: the configuration's declarations, and the published list history of earlier dates.
    { prefix: configSnapshot, access: { list: true, read: true } },
    table(attemptsTable('rpt_outbound_lists'), readTable),
    { prefix: publishedPrefix, access: readTable },
  ],
  finalize: [
    athenaResults,
    transient,
    { prefix: runLayout.decisionsPrefix(anyDate, anyAttempt), access: readTable },
    // Read by the handler; tagged as the date's history just before the publication.
    { prefix: configSnapshot, access: { read: true, tag: true } },
    attemptFigures('facts'),
    attemptFigures('lists'),
    acceptedFigures('facts', { list: true, read: true, write: true }),
    acceptedFigures('lists', { list: true, read: true, write: true }),
    ...publishedTables.map((name) => table(attemptsTable(name), replaceTable)),
    { prefix: publishedPrefix, access: { list: true, read: true, write: true } },
  ],
  'export-lists': [
    athenaResults,
    { prefix: configSnapshot, access: { read: true } },
    { prefix: runLayout.exportRowsPrefix(anyDate, anyAttempt), access: { ...replaceTable, tag: true } },
    // The published views it reads: the two tables and the publication objects.
    table(attemptsTable('rpt_outbound_lists'), readTable),
    table(attemptsTable('rpt_outbound_list_contacts'), readTable),
    { prefix: publishedPrefix, access: readTable },
  ],
  'genesys-push': [
    athenaResults,
    // The exported lists of the attempt, from its configuration snapshot.
    { prefix: configSnapshot, access: { read: true } },
    // The published day's suppressed phones for the DNC list (sql/genesys/dnc_suppressed_phones.sql).
    table(attemptsTable('rpt_outbound_lists_suppression'), readTable),
    { prefix: publishedPrefix, access: readTable },
  ],
  'load-dial-gate': [
    athenaResults,
    // The published windows and budgets (sql/dial-gate/*.sql).
    table(attemptsTable('rpt_outbound_lists'), readTable),
    table(attemptsTable('rpt_outbound_list_contacts'), readTable),
    { prefix: publishedPrefix, access: readTable },
    // The register's phones opted out since the day loaded last (sql/optouts/optout_register_new_phones.sql).
    table(optOutRegisterTable, readTable),
  ],
  'genesys-results': [
    // The exported lists of the attempt, from its configuration snapshot; the opt-outs of DNC additions, as the event ingest keeps them.
    { prefix: configSnapshot, access: { read: true } },
    { prefix: resources.prefixes.optOutEvents, access: { write: true } },
  ],
} as const satisfies Record<string, readonly LakeGrant[]>;
