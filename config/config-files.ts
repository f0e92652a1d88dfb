import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envNames } from './environment.ts';

/** This package's `config/` folder. */
export const PACKAGE_CONFIG_DIR = fileURLToPath(new URL('.', import.meta.url));

/**
 * A shipped configuration file: under OUTBOUND_CONFIG_DIR when set (the copy of `config/` in a Lambda
 * bundle), else under this package's `config/`.
 */
export function configFile(...parts: string[]): string {
  return join(process.env[envNames.configDirectory] ?? PACKAGE_CONFIG_DIR, ...parts);
}
