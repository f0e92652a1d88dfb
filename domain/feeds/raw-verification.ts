import { parseConsentFeedKey } from '../consent/consent-feeds.ts';

/**
 * Verification of the landing zone's gzip files before a run reads them (docs/feeds.md "Verified before
 * use"). Neither engine can be trusted to notice a damaged gzip: Athena and DuckDB read a stream cut short
 * up to the break and return the rows before it, so a truncated snapshot looks like a smaller one. Every raw
 * object a run reads is therefore streamed through zlib to its end first (the deflate end-of-stream marker,
 * then the CRC-32 and length trailer of every gzip member), once per version of the object.
 */

/** What reading one object through gunzip to its end found. */
export type GzipCheck = { ok: true; compressedBytes: number; decompressedBytes: number } | { ok: false; reason: GzipProblem; zlibMessage?: string };

export type GzipProblem = 'zero-bytes' | 'no-content' | 'truncated' | 'not-gzip' | 'crc-mismatch' | 'length-mismatch' | 'damaged';

/**
 * The outcome of a finished read: an object of 0 bytes is no gzip file at all (an upload that never got
 * written); a valid gzip that holds nothing is refused too, because every CSV feed needs its header row (§3)
 * and a custom-fields file is a full snapshot of every loan (docs/feeds.md: a delivery with no records is a
 * gzip of the header row).
 */
export function finishedCheck(compressedBytes: number, decompressedBytes: number): GzipCheck {
  if (compressedBytes === 0) return { ok: false, reason: 'zero-bytes' };
  if (decompressedBytes === 0) return { ok: false, reason: 'no-content' };
  return { ok: true, compressedBytes, decompressedBytes };
}

/** A zlib error as a problem of the file; zlib's messages are fixed texts (never the data), kept for the operator. */
export function failedCheck(compressedBytes: number, error: { code?: string; message?: string }): GzipCheck {
  if (compressedBytes === 0) return { ok: false, reason: 'zero-bytes' };
  const zlibMessage = error.message ?? '';
  const reason: GzipProblem =
    error.code === 'Z_BUF_ERROR'
      ? 'truncated'
      : /incorrect header check|unknown compression method/.test(zlibMessage)
        ? 'not-gzip'
        : /incorrect data check/.test(zlibMessage)
          ? 'crc-mismatch'
          : /incorrect length check/.test(zlibMessage)
            ? 'length-mismatch'
            : 'damaged';
  return { ok: false, reason, zlibMessage };
}

const explanations: Record<GzipProblem, string> = {
  'zero-bytes': 'is empty (0 bytes), not a gzip file',
  'no-content': 'is a gzip file that holds nothing (not even a header row)',
  truncated: 'is cut short: its gzip stream ends before the end of the data and its CRC/length trailer',
  'not-gzip': 'is not gzip data (or has bytes after its last gzip member)',
  'crc-mismatch': 'is damaged: the CRC-32 of its data does not match its gzip trailer',
  'length-mismatch': 'is damaged: the length of its data does not match its gzip trailer',
  damaged: 'is damaged: its gzip data cannot be decompressed',
};

/**
 * `<feed> file <key> <what is wrong> (zlib: …)`: the feed and the file, never a byte of the file's contents
 * (the contents hold names, SSNs and phones).
 */
export function gzipProblemMessage(key: string, check: Extract<GzipCheck, { ok: false }>): string {
  const zlib = check.zlibMessage ? ` (zlib: ${check.zlibMessage})` : '';
  return `${rawFeedName(key)} file ${key} ${explanations[check.reason]}${zlib}`;
}

/**
 * The feed a landing-zone key belongs to, as the operator knows it: the consent export's marker
 * (`NON-FIN-BDL`, `SUPPLFWD`, `ENRLMT`), else the §3.2 feed folder (`loan_tape`, `dispositions` …).
 */
export function rawFeedName(key: string): string {
  const parsed = parseConsentFeedKey(key);
  if (parsed.ok) return parsed.file.feed;
  const slash = key.indexOf('/');
  return slash > 0 ? key.slice(0, slash) : key;
}

/**
 * Whether an engine reads the file: every file of a feed folder but the hidden ones (`.` or `_` first, as
 * Athena's Hive tables skip them and temporary files are named, docs/feeds.md). Such a file that is not
 * gzip is refused, not skipped: Athena would read it as rows.
 */
export function isReadByEngines(key: string): boolean {
  const name = key.slice(key.lastIndexOf('/') + 1);
  return name !== '' && !name.startsWith('.') && !name.startsWith('_');
}

/**
 * One version of a raw object: its size and the store's tag of its contents (S3: the ETag, a digest of
 * the bytes; a local file: its modification time). A new delivery under the same key is a new version and
 * is verified again.
 */
export interface RawObjectVersion {
  size: number;
  tag: string;
}

export function versionName(version: RawObjectVersion): string {
  return `${version.size}-${version.tag.replace(/[^A-Za-z0-9.-]/g, '')}`;
}

/** Lake key remembering that `version` of `rawKey` was read to its end: `<prefix><rawKey>/<size>-<tag>.json`. */
export function verificationMarkerKey(prefix: string, rawKey: string, version: RawObjectVersion): string {
  return `${prefix}${rawKey}/${versionName(version)}.json`;
}
