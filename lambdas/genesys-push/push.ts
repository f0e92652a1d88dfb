import { GenesysOutcomeUnknownError, type GenesysClient, type GenesysImportStatus } from '../../adapters/genesys-client.ts';
import { createSqlEngine } from '../../adapters/sql-engine-factory.ts';
import { loadSql, sqlDate } from '../../sql/sql-files.ts';
import { contactListProblems } from '../../domain/exports/layout.ts';
import { headerContactGroups } from '../../domain/exports/template.ts';
import type { ExportManifest, ExportManifestFile } from '../../domain/exports/manifest.ts';
import { contactListName, DNC_LIST_NAME } from '../../domain/genesys/definitions.ts';
import { dncChanges } from '../../domain/genesys/dnc.ts';
import { resolveContactList } from '../../domain/genesys/plan.ts';
import type { GenesysPushResult } from '../../domain/run/step-outputs.ts';
import { readExportFile, readExportManifest } from '../../adapters/export-files.ts';
import type { ExportedList } from '../../domain/exports/exported-list.ts';

export interface PushOptions {
  runId: string;
  loadDate: string;
  exportsBucket: string;
  /** The run's active lists (configuration snapshot), for each list's `genesys_list_id`. */
  lists: readonly ExportedList[];
  client: GenesysClient;
  /** The day's suppressed phone numbers (E.164), for the DNC list. */
  suppressedPhones: readonly string[];
  /** Epoch ms by which the push must have ended (the Lambda's time budget); an import still running then fails its list. */
  deadline: number;
  /** Lists pushed at the same time (default 4). */
  concurrency?: number;
  /** Wait between import-status polls (default 2 s). */
  importPollMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
}

interface Planned {
  entry: ExportManifestFile;
  contactListId: string;
}

/**
 * Pushes the day's call and SMS list files (as the manifest lists them) to their Genesys Cloud contact
 * lists without ever emptying a live list (docs/genesys.md "The daily push"):
 * 1. every target contact list is resolved and checked (the export's columns, each phone column with
 *    its own time-zone column) and the DNC list found, before anything is touched;
 * 2. today's suppressed phone numbers that no list exports today are added to the DNC list;
 * 3. list by list, a few at a time: contacts that left the list are removed (no `/clear`: a contact that
 *    stays keeps its scheduled callback), the file is uploaded — contacts are upserted by payoffuid —
 *    once, reconciled before any second post, and the import must complete with exactly the
 *    manifest's rows and leave the list holding exactly them;
 * 4. numbers exported today are removed from the DNC list.
 * Any list that fails fails the step, naming each list and its numbers.
 */
export async function pushExports(options: PushOptions): Promise<GenesysPushResult> {
  const { client, loadDate, exportsBucket } = options;
  const manifest = await readExportManifest(exportsBucket, loadDate);
  if (manifest.run_id !== options.runId) throw new Error(`the exports of ${loadDate} are from run ${manifest.run_id}, not from run ${options.runId}`);

  refuseSplitLists(manifest);
  const skipped: GenesysPushResult['skipped'] = [];
  const planned: Planned[] = [];
  for (const entry of manifest.files) {
    if (entry.channel === 'email' || entry.channel === 'mail') {
      skipped.push({ file: entry.file, reason: entry.channel === 'email' ? 'email lists go to the email service provider' : 'mail lists go to print' });
      continue;
    }
    const list = options.lists.find((candidate) => candidate.set_name === entry.set_name && candidate.list_name === entry.list_name);
    if (!list?.genesys_list_id) {
      skipped.push({ file: entry.file, reason: 'no genesys_list_id in the configuration' });
      continue;
    }
    const where = `list ${entry.set_name}/${entry.list_name}`;
    const name = contactListName(entry.set_name, entry.list_name);
    const declared = await resolveContactList(client, { configuredId: list.genesys_list_id, contactListName: name });
    if (!declared) throw new Error(`${where}: no Genesys contact list ${list.genesys_list_id} nor one named "${name}": run outbound genesys apply`);
    const problems = contactListProblems(declared, entry.channel, list.template);
    if (problems.length > 0) throw new Error(`${where} → Genesys contact list ${declared.id}: ${problems.join('; ')}`);
    planned.push({ entry, contactListId: declared.id });
  }
  const dncList = await client.dncListByName(DNC_LIST_NAME);
  if (!dncList) throw new Error(`no Genesys DNC list named "${DNC_LIST_NAME}": run outbound genesys apply`);

  const exportedPhones = await phonesOfTheDay(manifest, exportsBucket, loadDate);
  const dnc = dncChanges({ suppressed: options.suppressedPhones, exported: exportedPhones, current: await client.dncPhoneNumbers(dncList.id) });
  await client.updateDncPhoneNumbers(dncList.id, 'Add', dnc.add);

  const outcomes = await everyInPool(planned, options.concurrency ?? 4, (item) =>
    pushList(item, options).then(
      (pushed) => ({ pushed }),
      (error: unknown) => ({
        failure: `${item.entry.set_name}/${item.entry.list_name} (Genesys contact list ${item.contactListId}): ${(error as Error).message}`,
      }),
    ),
  );
  const failures = outcomes.flatMap((outcome) => ('failure' in outcome ? [outcome.failure] : []));
  if (failures.length > 0) throw new Error(`Genesys push failed for ${failures.length} of ${planned.length} lists: ${failures.join(' | ')}`);

  await client.updateDncPhoneNumbers(dncList.id, 'Remove', dnc.remove);
  return {
    pushed: outcomes.flatMap((outcome) => ('pushed' in outcome ? [outcome.pushed] : [])),
    skipped,
    dnc: { dncListId: dncList.id, added: dnc.add.length, removed: dnc.remove.length },
  };
}

/**
 * A list exported in several parts (over a contact list's 1,000,000 contacts) cannot go to its one contact list:
 * each part's push would remove the other parts' contacts as leavers. Refused before anything is touched.
 */
function refuseSplitLists(manifest: ExportManifest): void {
  const parts = new Map<string, number>();
  for (const entry of manifest.files) {
    if (entry.channel === 'email') continue;
    const key = `${entry.set_name}/${entry.list_name}`;
    parts.set(key, (parts.get(key) ?? 0) + 1);
  }
  const split = [...parts].filter(([, count]) => count > 1).map(([key, count]) => `${key} (${count} parts)`);
  if (split.length > 0) {
    throw new Error(
      `lists exported in several parts cannot be pushed to one Genesys contact list each: ${split.join(', ')}; split the list in the configuration`,
    );
  }
}

/** Every phone number of today's call and SMS files, each file checked against the manifest first. */
async function phonesOfTheDay(manifest: ExportManifest, bucket: string, loadDate: string): Promise<Set<string>> {
  const phones = new Set<string>();
  for (const entry of manifest.files) {
    if (entry.channel === 'email' || entry.channel === 'mail') continue;
    const { header, records } = await readExportFile(bucket, loadDate, entry);
    const columns = headerContactGroups(header, entry.channel).map((group) => group.value);
    for (const record of records) for (const column of columns) if (record[column]) phones.add(record[column]);
  }
  return phones;
}

async function pushList({ entry, contactListId }: Planned, options: PushOptions): Promise<GenesysPushResult['pushed'][number]> {
  const { client } = options;
  const { content, header, records } = await readExportFile(options.exportsBucket, options.loadDate, entry);
  const contactIdColumn = entry.contact_id_column;
  const idColumn = contactIdColumn === null ? -1 : header.indexOf(contactIdColumn);
  if (contactIdColumn === null || idColumn < 0) throw new Error(`${entry.file}: no contact id column (list.payoffuid) to push by`);
  const today = new Set(records.map((record) => record[idColumn]!));
  // An import left running by an earlier attempt ends first: Genesys takes one import per list at a time.
  await settledImport(contactListId, options);
  const leavers = (await client.contacts(contactListId)).map((contact) => contact.id).filter((id) => !today.has(id));
  await client.removeContacts(contactListId, leavers);
  let uploads = 0;
  let importedRecords = 0;
  if (records.length > 0) {
    uploads = await uploadOnce(contactListId, content, entry, contactIdColumn, header, records, options);
    const status = await settledImport(contactListId, options);
    if (status.state === 'FAILED') throw new Error(`import failed: ${status.failureReason ?? 'no reason given'}`);
    importedRecords = status.completedRecords ?? 0;
    if (importedRecords !== entry.rows) throw new Error(`imported ${importedRecords} of ${entry.rows} manifest rows`);
  }
  const held = await client.contactCount(contactListId);
  if (held !== entry.rows) throw new Error(`the contact list holds ${held} contacts, the manifest ${entry.rows} rows`);
  return { file: entry.file, contactListId, rows: entry.rows, removed: leavers.length, importedRecords, uploads };
}

/**
 * Posts the upload; when its outcome is unknown (5xx, answer lost) it is reconciled before anything
 * else: an import under way, or a list already holding every record of the file as written, means
 * the post landed. Only a post known not to have landed is made again, once. Returns the posts made.
 */
async function uploadOnce(
  contactListId: string,
  content: Uint8Array,
  entry: ExportManifestFile,
  contactIdColumn: string,
  header: string[],
  records: string[][],
  options: PushOptions,
): Promise<number> {
  const { client } = options;
  for (let posts = 1; ; posts += 1) {
    try {
      await client.uploadContactList(contactListId, content, entry.file.split('/').at(-1)!, contactIdColumn);
      return posts;
    } catch (error) {
      if (!(error instanceof GenesysOutcomeUnknownError) || posts >= 2) throw error;
      const status = await client.importStatus(contactListId);
      if (status.state === 'PENDING' || status.state === 'IN_PROGRESS') return posts;
      const held = new Map((await client.contacts(contactListId)).map((contact) => [contact.id, contact.data]));
      const idIndex = header.indexOf(contactIdColumn);
      const landed = records.every((record) => {
        const data = held.get(record[idIndex]!);
        return data !== undefined && header.every((column, index) => (data[column] ?? '') === record[index]);
      });
      if (landed) return posts;
    }
  }
}

/** Polls the list's import status until it is COMPLETED or FAILED; past the deadline, fails. */
async function settledImport(contactListId: string, options: PushOptions): Promise<GenesysImportStatus> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
  const now = options.now ?? Date.now;
  for (;;) {
    const status = await options.client.importStatus(contactListId);
    if (status.state === 'COMPLETED' || status.state === 'FAILED') return status;
    if (now() >= options.deadline) throw new Error(`import still ${status.state} (${status.percentageComplete ?? 0} %) when the time budget ran out`);
    await sleep(options.importPollMs ?? 2_000);
  }
}

/** Runs `task` on every item, at most `limit` at a time, in item order; a failing item does not stop the others. */
async function everyInPool<T, R>(items: readonly T[], limit: number, task: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < items.length; index = next++) results[index] = await task(items[index]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

/** The published day's suppressed phone numbers (sql/genesys/dnc_suppressed_phones.sql). */
export async function readSuppressedPhones(loadDate: string): Promise<string[]> {
  const engine = await createSqlEngine();
  try {
    const rows = await engine.query<{ phone: string }>(await loadSql('genesys/dnc_suppressed_phones.sql', { load_date: sqlDate(loadDate) }));
    return rows.map((row) => row.phone);
  } finally {
    await engine.close();
  }
}
