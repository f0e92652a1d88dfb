import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Logger } from '@aws-lambda-powertools/logger';
import { z } from 'zod';
import { readConfigSnapshot } from '../../adapters/config-snapshot.ts';
import { recordOptOut } from '../../adapters/consent-store.ts';
import { archiveOptOut } from '../../adapters/event-archive.ts';
import { readExportFile, readExportManifest } from '../../adapters/export-files.ts';
import type { GenesysClient } from '../../adapters/genesys-client.ts';
import { publishMetrics } from '../../adapters/metrics.ts';
import { writeRawObject } from '../../adapters/raw-store.ts';
import { configFile } from '../../config/config-files.ts';
import { metricNames } from '../../config/metrics.ts';
import { addDays } from '../../domain/campaigns/dates.ts';
import { localTimeToUtc } from '../../domain/compliance/local-time.ts';
import { parseEvent } from '../../domain/api/events.ts';
import { headerContactGroups } from '../../domain/exports/template.ts';
import type { ExportManifest, ExportManifestFile } from '../../domain/exports/manifest.ts';
import { contactListName, DNC_LIST_NAME } from '../../domain/genesys/definitions.ts';
import { resolveContactList } from '../../domain/genesys/plan.ts';
import type { GenesysResultsReport, ListMismatch } from '../../domain/run/step-outputs.ts';
import {
  analyticsConversationSchema,
  conversationResults,
  dispositionsFeedText,
  dncOptOuts,
  parseWrapUpMapping,
  reconcileList,
  type AnalyticsConversation,
  type ExportedContact,
  type PulledList,
  type WrapUpMapping,
} from '../../domain/genesys/results.ts';

export interface ResultsOptions {
  loadDate: string;
  exportsBucket: string;
  client: GenesysClient;
  mapping: WrapUpMapping;
  /** The moment of the pull (default: now): the end of the interval read, and the date of the opt-outs found. */
  now?: Date;
}

/** The wrap-up code mapping shipped in `config/` (a copy in the bundle). */
export const WRAP_UP_MAPPING_FILE = 'genesys-wrap-up-codes.yaml';

/** The day's calls of D, all in the interval: from D 00:00 Eastern to D+1 06:00 Eastern (21:00 in Hawaii is 02:00 or 03:00 Eastern). */
const EASTERN = 'America/New_York';
const DAY_END_MINUTE_NEXT_DAY = 6 * 60;

/** The landing-zone file of the results loop for D, beside the servicer's `dispositions_YYYYMMDD[_NNN].csv.gz` (docs/feeds.md). */
export function genesysDispositionsKey(loadDate: string): string {
  return `dispositions/date=${loadDate}/dispositions_${loadDate.replaceAll('-', '')}_genesys.csv.gz`;
}

/**
 * The results loop of D (docs/genesys.md "The results loop"): reads the lists exported and pushed on D, the
 * conversations Genesys Cloud made of them since D began (Eastern), and writes them as D's dispositions from
 * Genesys; the numbers put on the DNC list during the day become opt-outs; each contact list is reconciled with the
 * customers exported to it. The file is written before the reconciliation, so a mismatch loses no attempt; the
 * caller fails on a mismatch.
 */
export async function pullResults(options: ResultsOptions): Promise<GenesysResultsReport> {
  const { client, loadDate } = options;
  const now = options.now ?? new Date();
  const start = localTimeToUtc(loadDate, 0, EASTERN);
  const end = Math.min(now.getTime(), localTimeToUtc(addDays(loadDate, 1), DAY_END_MINUTE_NEXT_DAY, EASTERN));
  if (end <= start) throw new Error(`the calling day of ${loadDate} has not begun`);
  const interval = `${new Date(start).toISOString()}/${new Date(end).toISOString()}`;

  const manifest = await readExportManifest(options.exportsBucket, loadDate);
  const lists = await pulledLists(manifest, options);
  const conversations = readConversations(
    await client.outboundConversations(
      interval,
      lists.map((list) => list.contactListId),
    ),
  );
  const results = conversationResults(conversations, lists, await client.wrapUpCodeNames(), options.mapping);

  const dispositionsKey = genesysDispositionsKey(loadDate);
  await writeRawObject(dispositionsKey, gzipSync(dispositionsFeedText(results.rows)));

  const optOuts = await recordDncOptOuts(lists, client, now);

  const mismatches: ListMismatch[] = [];
  for (const list of lists) {
    const mismatch = reconcileList(
      list,
      (await client.contacts(list.contactListId)).map((contact) => contact.id),
    );
    if (mismatch) mismatches.push(mismatch);
  }
  return {
    loadDate,
    interval,
    dispositionsKey,
    conversations: conversations.length,
    attempts: results.rows.length,
    notDialed: results.notDialed,
    unmapped: results.unmapped,
    notExported: results.notExported,
    dncOptOuts: optOuts,
    lists: lists.map(({ setName, listName, contactListId, contacts }) => ({ setName, listName, contactListId, exported: contacts.size })),
    mismatches,
  };
}

/** The day's call and SMS files that went to a Genesys contact list, with their exported records; a list whose contact list is gone fails. */
async function pulledLists(manifest: ExportManifest, options: ResultsOptions): Promise<PulledList[]> {
  const { config } = await readConfigSnapshot(manifest.load_date, manifest.attempt);
  const lists: PulledList[] = [];
  for (const entry of manifest.files) {
    if (entry.channel !== 'call' && entry.channel !== 'sms') continue;
    const set = config.sets.find((candidate) => candidate.name === entry.set_name);
    const list = set?.lists.find((candidate) => candidate.name === entry.list_name);
    if (!set || !list?.genesys_list_id) continue;
    const declared = await resolveContactList(options.client, { configuredId: list.genesys_list_id, contactListName: contactListName(set.name, list.name) });
    if (!declared)
      throw new Error(`list ${set.name}/${list.name}: no Genesys contact list ${list.genesys_list_id} nor one named "${contactListName(set.name, list.name)}"`);
    lists.push({
      setName: set.name,
      listName: list.name,
      channel: entry.channel,
      purpose: list.purpose,
      contactListId: declared.id,
      contacts: await exportedContacts(options.exportsBucket, manifest, entry),
    });
  }
  return lists;
}

/** payoffuid → account and phones (E.164 → the number's zone) of one list file. */
async function exportedContacts(bucket: string, manifest: ExportManifest, entry: ExportManifestFile): Promise<Map<string, ExportedContact>> {
  const { header, records } = await readExportFile(bucket, manifest.load_date, entry);
  const id = entry.contact_id_column === null ? -1 : header.indexOf(entry.contact_id_column);
  const account = entry.account_column === null ? -1 : header.indexOf(entry.account_column);
  const groups = headerContactGroups(header, entry.channel).map((group) => ({ value: group.value, zone: group.timezone }));
  if (id < 0 || account < 0) throw new Error(`${entry.file}: no contact id (list.payoffuid) or account (list.account_number) column`);
  return new Map(
    records.map((record) => [
      record[id]!,
      {
        accountNumber: record[account]!,
        phones: new Map(groups.filter((group) => record[group.value]).map((group) => [record[group.value]!, record[group.zone] ?? ''])),
      },
    ]),
  );
}

/** Every record validated; one that cannot be read fails the pull, naming its position and problems (no values). */
function readConversations(records: readonly unknown[]): AnalyticsConversation[] {
  return records.map((record, index) => {
    const parsed = analyticsConversationSchema.safeParse(record);
    if (!parsed.success) throw new Error(`Genesys conversation record ${index + 1} of ${records.length} cannot be read: ${z.prettifyError(parsed.error)}`);
    return parsed.data;
  });
}

/** The numbers agents put on the DNC list today, as opt-outs of their accounts (can_send_sms at once, the register at the next run). */
async function recordDncOptOuts(lists: readonly PulledList[], client: GenesysClient, now: Date): Promise<number> {
  const dncList = await client.dncListByName(DNC_LIST_NAME);
  if (!dncList) throw new Error(`no Genesys DNC list named "${DNC_LIST_NAME}": run outbound genesys apply`);
  let recorded = 0;
  for (const { phone, accounts } of dncOptOuts(lists, await client.dncPhoneNumbers(dncList.id))) {
    for (const account of accounts) {
      const parsed = parseEvent({ type: 'sms_opt_out', account, phone, at: now.toISOString() });
      if (!parsed.ok || parsed.event.type !== 'sms_opt_out')
        throw new Error(`an exported record's number or account cannot be read as an opt-out: ${parsed.ok ? 'wrong type' : parsed.problems.join('; ')}`);
      await recordOptOut(parsed.event.phone, parsed.event.day);
      await archiveOptOut(parsed.event);
      recorded += 1;
    }
  }
  return recorded;
}

/**
 * Pulls D's results (the Lambda and `outbound genesys results`): publishes the mismatch and unmapped-code counts,
 * logs the report (counts and list names only) and throws on a mismatch, naming each list and its counts.
 */
export async function pullGenesysResults(
  client: GenesysClient,
  loadDate: string,
  exportsBucket: string,
  logger: Logger,
  now?: Date,
): Promise<GenesysResultsReport> {
  const mappingFile = configFile(WRAP_UP_MAPPING_FILE);
  const mapping = parseWrapUpMapping(await readFile(mappingFile, 'utf8'), mappingFile);
  const report = await pullResults({ loadDate, exportsBucket, client, mapping, ...(now ? { now } : {}) });
  const unmapped = Object.values(report.unmapped).reduce((sum, count) => sum + count, 0);
  publishMetrics({ [metricNames.genesysListMismatches]: report.mismatches.length, [metricNames.genesysUnmappedWrapUps]: unmapped });
  logger.info('Genesys results pulled', { ...report, mismatches: report.mismatches.length });
  if (report.mismatches.length > 0) {
    const lists = report.mismatches.map(
      (m) =>
        `${m.setName}/${m.listName} (Genesys contact list ${m.contactListId}): exported ${m.exported}, in Genesys ${m.imported}, missing ${m.missing}, not exported ${m.extra}`,
    );
    throw new Error(`${report.mismatches.length} Genesys contact list(s) do not hold the customers exported to them on ${loadDate}: ${lists.join(' | ')}`);
  }
  return report;
}
