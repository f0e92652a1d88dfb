import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { configFile, PACKAGE_CONFIG_DIR } from '../config/config-files.ts';
import { envNames } from '../config/environment.ts';
import { loadCampaignConfigText } from '../domain/campaigns/load-config.ts';
import type { CampaignConfigResult } from '../domain/campaigns/validate.ts';

/** The configuration deployed with the stack: `config/campaigns.yaml` of this package, wherever the CLI runs from. */
export const DEFAULT_CAMPAIGN_CONFIG = join(PACKAGE_CONFIG_DIR, 'campaigns.yaml');

/**
 * The run's configuration: `OUTBOUND_CAMPAIGN_CONFIG` when set (`outbound run --config`), else
 * `campaigns.yaml` of OUTBOUND_CONFIG_DIR (the copy of `config/` in a Lambda bundle), else the default.
 */
export function runCampaignConfigPath(): string {
  return process.env[envNames.campaignConfig] ?? configFile('campaigns.yaml');
}

/** Reads and validates a campaign configuration file (YAML, or JSON by its `.json` extension). */
export async function readCampaignConfigFile(path: string = runCampaignConfigPath()): Promise<CampaignConfigResult> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new Error(
      code === 'ENOENT' ? `campaign configuration not found: ${path}` : `cannot read the campaign configuration ${path}: ${(error as Error).message}`,
    );
  }
  return loadCampaignConfigText(text, path);
}
