import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CHANNELS } from '../campaigns/schema.ts';

/**
 * `exports/date=D/manifest.json`: the day's files, written after them — a reader that has the
 * manifest sees complete files, and checks each against its sha256.
 */
export const exportManifestFileSchema = z.object({
  /** Relative to the day's prefix, e.g. `COLLECTIONS_CALL/BLUE_FCU_1_29.csv`. */
  file: z.string().min(1),
  set_name: z.string().min(1),
  list_name: z.string().min(1),
  channel: z.enum(CHANNELS),
  /** Records after the header (exported customers). */
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Selected contacts ranked beyond the exported contact columns. */
  contacts_not_exported: z.number().int().nonnegative(),
  /** 1, 2, … for the parts of a list longer than Genesys's 1,000,000 contacts; null (or absent) for a list in one file. */
  part: z.number().int().positive().nullable().default(null),
  /** The column holding the payoffuid, Genesys's contact id (results map back by it); null: the file has none. */
  contact_id_column: z.string().min(1).nullable(),
  /** The column holding the account number (the results loop records attempts on it); null: the file has none. */
  account_column: z.string().min(1).nullable(),
  /** The partner the file is delivered to over SFTP (the list's `export.delivery`); null: none (Genesys or held). */
  delivery: z.string().min(1).nullable().default(null),
});

export const exportManifestSchema = z.object({
  load_date: z.string(),
  run_id: z.string(),
  attempt: z.string(),
  files: z.array(exportManifestFileSchema),
});

export type ExportManifestFile = z.infer<typeof exportManifestFileSchema>;
export type ExportManifest = z.infer<typeof exportManifestSchema>;

export function parseExportManifest(text: string, where: string): ExportManifest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(`${where}: not valid JSON`);
  }
  const parsed = exportManifestSchema.safeParse(value);
  if (!parsed.success) throw new Error(`${where}: not an export manifest: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

export function sha256Hex(content: Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** Throws when `content` is not the manifest's file (size and checksum). */
export function verifyExportFile(entry: ExportManifestFile, content: Uint8Array): void {
  const actual = sha256Hex(content);
  if (content.byteLength !== entry.bytes || actual !== entry.sha256) {
    throw new Error(
      `${entry.file}: does not match the manifest (sha256 ${actual}, ${content.byteLength} bytes; manifest: ${entry.sha256}, ${entry.bytes} bytes)`,
    );
  }
}
