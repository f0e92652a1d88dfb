import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parseCsv } from '../domain/exports/csv.ts';
import { exportsPrefix, MANIFEST_FILE } from '../domain/exports/layout.ts';
import { parseExportManifest, verifyExportFile, type ExportManifest, type ExportManifestFile } from '../domain/exports/manifest.ts';
import { s3Client } from './aws-clients.ts';

/** An object's bytes; a missing object is an error naming it. */
export async function readObject(bucket: string, key: string): Promise<Buffer> {
  try {
    const object = await s3Client().send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return Buffer.from(await object.Body!.transformToByteArray());
  } catch (error) {
    const name = (error as Error).name;
    throw new Error(`s3://${bucket}/${key}: ${name === 'NoSuchKey' ? 'no such object' : `${name}: ${(error as Error).message}`}`);
  }
}

/** The day's export manifest (`exports/date=D/manifest.json`): its presence means every file it lists is complete. */
export async function readExportManifest(bucket: string, loadDate: string): Promise<ExportManifest> {
  const key = `${exportsPrefix(loadDate)}${MANIFEST_FILE}`;
  return parseExportManifest((await readObject(bucket, key)).toString('utf8'), `s3://${bucket}/${key}`);
}

/** One list file of the day, checked against its manifest entry (size, sha256) before it is read. */
export async function readExportFile(
  bucket: string,
  loadDate: string,
  entry: ExportManifestFile,
): Promise<{ content: Buffer; header: string[]; records: string[][] }> {
  const content = await readObject(bucket, `${exportsPrefix(loadDate)}${entry.file}`);
  verifyExportFile(entry, content);
  const [header = [], ...records] = parseCsv(content.toString('utf8'));
  return { content, header, records };
}
