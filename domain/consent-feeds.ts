/** File naming of the consent feeds (§3.1): the file date comes from the file name. */
export const consentFeedPattern = /^consent\/(ENROLLMENT\/ENRLMT|MAINTENANCE\/NON-FIN-BDL|MAINTENANCE\/SUPPLFWD)_(\d{8})(?:_\d{3})?\.csv\.gz$/;

export type ConsentFeed = 'ENRLMT' | 'NON-FIN-BDL' | 'SUPPLFWD';

/**
 * The raw consent feeds of SPEC §3.1 as every engine registers them: the view name, the folder and
 * file-name prefix in the landing zone, and the header row, whose column order the bronze SQL relies on.
 */
export const consentFeeds = [
  {
    feed: 'ENRLMT',
    view: 'consent_raw_enrollment',
    folder: 'consent/ENROLLMENT/',
    filePrefix: 'ENRLMT_',
    columns: ['cnsmr_idntfr_lgcy_txt', 'cnsmr_phn_nbr_txt', 'cnsmr_phn_typ_cd', 'cnsmr_phn_src_cd', 'cnsmr_phn_sms_cnsnt_flg', 'rcrd_dt'],
  },
  {
    feed: 'NON-FIN-BDL',
    view: 'consent_raw_nonfin',
    folder: 'consent/MAINTENANCE/',
    filePrefix: 'NON-FIN-BDL_',
    columns: ['cnsmr_idntfr_lgcy_txt', 'cnsmr_phn_id', 'cnsmr_phn_nbr_txt', 'cnsmr_phn_typ_cd', 'cnsmr_phn_src_cd', 'cnsmr_phn_sms_cnsnt_flg'],
  },
  {
    feed: 'SUPPLFWD',
    view: 'consent_raw_supplfwd',
    folder: 'consent/MAINTENANCE/',
    filePrefix: 'SUPPLFWD_',
    columns: [
      'cnsmr_idntfr_lgcy_txt',
      'cnsmr_phn_nbr_txt',
      'cnsmr_phn_typ_cd',
      'cnsmr_phn_src_cd',
      'cnsmr_phn_sms_cnsnt_flg',
      'cnsmr_phn_sft_dlt_flg',
      'rcrd_dt',
    ],
  },
] as const satisfies readonly { feed: ConsentFeed; view: string; folder: string; filePrefix: string; columns: readonly string[] }[];

export type ConsentFeedLayout = (typeof consentFeeds)[number];

export interface ConsentFeedFile {
  key: string;
  feed: ConsentFeed;
  fileDate: string;
}

export function parseConsentFeedKey(key: string): ConsentFeedFile | undefined {
  const match = consentFeedPattern.exec(key);
  if (!match) return undefined;
  const feed = match[1]!.split('/')[1] as ConsentFeed;
  const digits = match[2]!;
  return { key, feed, fileDate: `${digits.slice(0, 4)}-${digits.slice(4, 6)}-${digits.slice(6, 8)}` };
}

/**
 * Inputs present and fresh: the run for `loadDate` needs the NON-FIN snapshot of that very date, since
 * hard deletes are judged against the newest snapshot. Returns the problems found (empty = ready).
 */
export function checkConsentInputs(keys: string[], loadDate: string): { files: ConsentFeedFile[]; problems: string[] } {
  const files = keys.map(parseConsentFeedKey).filter((file): file is ConsentFeedFile => file !== undefined && file.fileDate <= loadDate);
  const problems: string[] = [];
  if (files.length === 0) problems.push(`no consent feed files dated on or before ${loadDate} under consent/`);
  else if (!files.some((file) => file.feed === 'NON-FIN-BDL' && file.fileDate === loadDate)) {
    problems.push(`no NON-FIN-BDL snapshot dated ${loadDate} under consent/MAINTENANCE/ (the newest is ${newestSnapshot(files) ?? 'none'})`);
  }
  return { files, problems };
}

function newestSnapshot(files: ConsentFeedFile[]): string | undefined {
  return files.filter((file) => file.feed === 'NON-FIN-BDL').map((file) => file.fileDate).sort().at(-1);
}
