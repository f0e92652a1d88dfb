import type { GenesysClient, GenesysImportStatus } from '../../adapters/genesys-client.ts';
import { contactListProblems, exportsPrefix, MANIFEST_FILE } from '../../domain/exports/layout.ts';
import { parseExportManifest, verifyExportFile, type ExportManifestFile } from '../../domain/exports/manifest.ts';
import { readObject, type ExportedList } from '../export-lists/exports.ts';

export interface PushOptions {
  runId: string;
  loadDate: string;
  exportsBucket: string;
  /** The run's active lists (configuration snapshot), for each list's `genesys_list_id`. */
  lists: readonly ExportedList[];
  client: GenesysClient;
  /** Wait between import-status polls (default 2 s) and how many polls before giving up (default 150). */
  importPollMs?: number;
  importPolls?: number;
  sleep?: (ms: number) => Promise<void>;
}

export interface PushResult {
  pushed: { file: string; contactListId: string; rows: number; correlationId: string | null; importedRecords: number | null }[];
  skipped: { file: string; reason: string }[];
}

interface Planned {
  entry: ExportManifestFile;
  contactListId: string;
}

/**
 * Pushes the day's call and SMS list files (as the manifest lists them) to their Genesys Cloud contact
 * lists: every target list is checked first — columns and time-zone columns as the export writes
 * them — so a mismatch fails the step before any list is touched; then, list by list, the file is
 * verified against the manifest's sha256, the contact list is cleared (yesterday's contacts must not
 * stay dialable) and the file uploaded, and the import is awaited. Email lists go to the email
 * service provider; lists without `genesys_list_id` are skipped and reported.
 */
export async function pushExports(options: PushOptions): Promise<PushResult> {
  const { client, loadDate, exportsBucket } = options;
  const prefix = exportsPrefix(loadDate);
  const manifestKey = `${prefix}${MANIFEST_FILE}`;
  const manifest = parseExportManifest(
    (await readObject(exportsBucket, manifestKey)).toString('utf8'),
    `s3://${exportsBucket}/${manifestKey}`,
  );
  if (manifest.run_id !== options.runId) throw new Error(`the exports of ${loadDate} are from run ${manifest.run_id}, not from run ${options.runId}`);

  const result: PushResult = { pushed: [], skipped: [] };
  const planned: Planned[] = [];
  for (const entry of manifest.files) {
    if (entry.channel === 'email') {
      result.skipped.push({ file: entry.file, reason: 'email lists go to the email service provider' });
      continue;
    }
    const list = options.lists.find((candidate) => candidate.set_name === entry.set_name && candidate.list_name === entry.list_name);
    if (!list?.genesys_list_id) {
      result.skipped.push({ file: entry.file, reason: 'no genesys_list_id in the configuration' });
      continue;
    }
    const declared = await client.getContactList(list.genesys_list_id);
    const problems = contactListProblems(declared, entry.channel);
    if (problems.length > 0) {
      throw new Error(`list ${entry.set_name}/${entry.list_name} → Genesys contact list ${list.genesys_list_id}: ${problems.join('; ')}`);
    }
    planned.push({ entry, contactListId: list.genesys_list_id });
  }

  for (const { entry, contactListId } of planned) {
    const content = await readObject(exportsBucket, `${prefix}${entry.file}`);
    verifyExportFile(entry, content);
    await client.clearContactList(contactListId);
    const { correlationId } = await client.uploadContactList(contactListId, content, entry.file.split('/').at(-1)!, manifest.contact_id_column);
    const status = await waitForImport(client, contactListId, options);
    if (status.state !== 'COMPLETED') {
      throw new Error(
        `Genesys contact list ${contactListId} (${entry.file}): import ${status.state === 'FAILED' ? `failed: ${status.failureReason ?? 'no reason given'}` : 'still in progress'}`,
      );
    }
    result.pushed.push({ file: entry.file, contactListId, rows: entry.rows, correlationId, importedRecords: status.completedRecords ?? null });
  }
  return result;
}

async function waitForImport(client: GenesysClient, contactListId: string, options: PushOptions): Promise<GenesysImportStatus> {
  const sleep = options.sleep ?? ((ms: number) => new Promise((done) => setTimeout(done, ms)));
  let status = await client.importStatus(contactListId);
  for (let poll = 1; status.state === 'IN_PROGRESS' && poll < (options.importPolls ?? 150); poll += 1) {
    await sleep(options.importPollMs ?? 2_000);
    status = await client.importStatus(contactListId);
  }
  return status;
}
