import { parseCampaignConfig } from '../domain/campaigns/validate.ts';
import type { CampaignConfig } from '../domain/campaigns/schema.ts';
import { exportedLists, type ExportedList } from '../domain/exports/exported-list.ts';
import { runLayout } from '../domain/run/run-layout.ts';
import { getLakeJson } from './lake-store.ts';

/** The configuration snapshot PrepareRun wrote for an attempt, validated again (it is read by every shard and by Finalize). */
export async function readConfigSnapshot(loadDate: string, attempt: string): Promise<{ key: string; config: CampaignConfig }> {
  const key = runLayout.configSnapshot(loadDate, attempt);
  let snapshot: unknown;
  try {
    snapshot = await getLakeJson<unknown>(key);
  } catch (error) {
    throw new Error(`cannot read the configuration snapshot ${key}: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const parsed = parseCampaignConfig(snapshot);
  if (!parsed.ok) {
    const problems = parsed.problems.slice(0, 20).map((problem) => `${problem.path || '(file)'}: ${problem.message}`);
    throw new Error(`configuration snapshot ${key} is invalid: ${problems.join('; ')}`);
  }
  return { key, config: parsed.config };
}

/** The lists of the attempt's configuration snapshot active on the load date (ExportLists and the Genesys push read them). */
export async function readExportedLists(loadDate: string, attempt: string): Promise<ExportedList[]> {
  const { config } = await readConfigSnapshot(loadDate, attempt);
  return exportedLists(config, loadDate);
}
