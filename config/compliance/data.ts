import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { configFile } from '../config-files.ts';
import { parseReferenceData, REFERENCE_FILES, type ReferenceData, type ReferenceTexts } from '../../domain/compliance/reference-data.ts';
import { parseRuleTable, type RuleTable } from '../../domain/compliance/rule-table.ts';

/**
 * The shipped compliance data files: the rule table beside this module, the reference data in ../reference/;
 * in a Lambda bundle, under OUTBOUND_CONFIG_DIR (a copy of `config/`).
 */
export const RULE_TABLE_PATH = configFile('compliance', 'rules.csv');
export const REFERENCE_DIR = configFile('reference');

export function readRuleTable(path: string = RULE_TABLE_PATH): RuleTable {
  return parseRuleTable(readFileSync(path, 'utf8'), basename(path));
}

export function readReferenceData(dir: string = REFERENCE_DIR): ReferenceData {
  const texts = Object.fromEntries(Object.entries(REFERENCE_FILES).map(([key, file]) => [key, readFileSync(join(dir, file), 'utf8')]));
  return parseReferenceData(texts as ReferenceTexts);
}
