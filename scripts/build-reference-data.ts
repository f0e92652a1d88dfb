/**
 * Regenerates config/reference/area_codes.csv and config/reference/zip3_timezones.csv from the
 * devDependency packages (provenance: config/reference/README.md):
 *
 * - `areacodes` (NANPA's NPA report): area code → state, or toll-free. Its time zones are the
 *   zones of its state in the hand-kept config/reference/state_timezones.csv, all of them for a
 *   state that spans several (the package has no finer location).
 * - `zip-to-timezone`: ZIP → IANA zone, folded to 3-digit prefixes (every zone seen in a prefix).
 *
 *   npx tsx scripts/build-reference-data.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { parseStateTimezones, REFERENCE_FILES } from '../domain/compliance/reference-data.ts';

interface AreaCodeEntry {
  type: 'local' | 'toll-free';
  stateCode: string | null;
}

const require = createRequire(import.meta.url);
const referenceDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'config', 'reference');

const states = new Map(parseStateTimezones(readFileSync(join(referenceDir, REFERENCE_FILES.stateTimezones), 'utf8')).map(({ value }) => [value.state, value]));

const areaCodes = require('areacodes/lib/data.json') as Record<string, AreaCodeEntry>;
const areaCodeRows = Object.entries(areaCodes)
  .sort(([a], [b]) => a.localeCompare(b))
  .map(([npa, entry]) => {
    if (entry.type === 'toll-free') return [npa, '', 'toll_free', ''];
    const state = entry.stateCode === null ? undefined : states.get(entry.stateCode);
    if (state === undefined) throw new Error(`area code ${npa}: state ${entry.stateCode} is not in ${REFERENCE_FILES.stateTimezones}`);
    return [npa, state.state, state.region, state.timezones.join(' ')];
  });
write(REFERENCE_FILES.areaCodes, ['npa', 'state', 'region', 'timezones'], areaCodeRows);

// The package lists its ZIPs per zone in YAML; unquoted ZIPs read as integers lose their leading zeros.
const zipFile = join(dirname(require.resolve('zip-to-timezone')), '.timezones_to_zipcodes(full name).yml');
const zonesByZip = parse(readFileSync(zipFile, 'utf8')) as Record<string, (string | number)[]>;
const prefixes = new Map<string, Set<string>>();
for (const [zone, zips] of Object.entries(zonesByZip)) {
  for (const zip of zips) {
    const prefix = String(zip).padStart(5, '0').slice(0, 3);
    prefixes.set(prefix, (prefixes.get(prefix) ?? new Set()).add(zone));
  }
}
const zipRows = [...prefixes].sort(([a], [b]) => a.localeCompare(b)).map(([prefix, zones]) => [prefix, [...zones].sort().join(' ')]);
write(REFERENCE_FILES.zip3Timezones, ['zip3', 'timezones'], zipRows);

function write(file: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  writeFileSync(join(referenceDir, file), `${[header, ...rows].map((row) => row.join('|')).join('\n')}\n`);
  console.log(`${file}: ${rows.length} rows`);
}
