import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { configFile } from '../config/config-files.ts';
import { envNames, requireEnv } from '../config/environment.ts';
import { metricNames } from '../config/metrics.ts';
import {
  acceptedDate,
  acceptedOnPass,
  evaluateLayer,
  loadQualityThresholdsText,
  QUALITY_LAYERS,
  QualityConfigError,
  QualityGateFailedError,
  type CheckRow,
  type LayerEvaluation,
  type LayerFigures,
  type QualityLayer,
  type QualityThresholds,
} from '../domain/run/quality-gates.ts';
import { qualityLayout } from '../domain/run/run-layout.ts';
import { loadSql, sqlDate, sqlString, type SqlLiteral } from '../sql/sql-files.ts';
import { getLakeJson, putLakeJson } from './lake-store.ts';
import { publishMetrics } from './metrics.ts';
import { listKeysUnderPrefix } from './s3-prefix.ts';
import type { SqlEngine } from './sql-engine.ts';

/** `config/quality-gates.yaml`; in a Lambda bundle, under OUTBOUND_CONFIG_DIR (a copy of `config/`). */
export const QUALITY_GATES_PATH = configFile('quality-gates.yaml');

export function readQualityThresholds(path: string = QUALITY_GATES_PATH): QualityThresholds {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new QualityConfigError(`cannot read the data-quality gate thresholds ${path}: ${(error as Error).message}`);
  }
  return loadQualityThresholdsText(text, path);
}

/** The gates of one run's step (docs/quality-gates.md). */
export interface QualityGate {
  /**
   * Runs `sql/quality/<layer>.sql`, judges it against the thresholds and the previous accepted date's figures,
   * logs every result, publishes QualityGateFailures (dimension `layer`; 0 when it passes), and throws QualityGateFailedError naming every failed check with its numbers. A passing
   * layer's figures are kept: as the date's accepted figures (consent layers), or as the attempt's.
   */
  check(layer: QualityLayer): Promise<LayerEvaluation>;
  /** After the day's publication: the published attempt's figures of `layers` become the date's accepted figures. */
  acceptPublished(layers: readonly QualityLayer[]): Promise<void>;
}

export interface QualityGateOptions {
  loadDate: string;
  /** The run's attempt; null in the consent transform, whose layers are accepted by date. */
  attempt: string | null;
  thresholds: QualityThresholds;
  /** Logs counts and messages only (no row content). */
  log: (message: string, details: Record<string, unknown>) => void;
}

const figuresSchema = z.object({
  layer: z.enum(QUALITY_LAYERS),
  load_date: z.string(),
  checks: z.record(z.string(), z.object({ observed: z.number(), total: z.number().nullable() })),
});

export function sqlQualityGate(engine: SqlEngine, options: QualityGateOptions): QualityGate {
  const { loadDate, attempt, thresholds, log } = options;
  const attemptKey = (layer: QualityLayer) => {
    if (attempt === null) throw new Error(`the ${layer} gate needs the run's attempt`);
    return qualityLayout.attempt(layer, loadDate, attempt);
  };
  return {
    async check(layer) {
      const values: Record<string, SqlLiteral> = { load_date: sqlDate(loadDate), ...(attempt === null ? {} : { attempt: sqlString(attempt) }) };
      const rows = await engine.query<CheckRow>(await loadSql(`quality/${layer}.sql`, values));
      const previous = await previousFigures(layer, loadDate);
      const evaluation = evaluateLayer(layer, loadDate, rows, thresholds, previous);
      const messages = (status: string) => evaluation.results.filter((result) => result.status === status).map((result) => result.message);
      log('data-quality gates', {
        layer,
        comparedWith: previous?.load_date ?? null,
        passed: messages('passed'),
        skipped: messages('skipped'),
        failed: messages('failed'),
      });
      publishMetrics({ [metricNames.qualityGateFailures]: evaluation.failures.length }, { layer });
      if (evaluation.failures.length > 0) {
        throw new QualityGateFailedError(
          layer,
          evaluation.failures.map((failure) => failure.message),
        );
      }
      await putLakeJson(acceptedOnPass(layer) ? qualityLayout.accepted(layer, loadDate) : attemptKey(layer), evaluation.figures);
      return evaluation;
    },

    async acceptPublished(layers) {
      for (const layer of layers) {
        const key = attemptKey(layer);
        const figures = await readFigures(key);
        if (figures === null) {
          log('data-quality figures not accepted', { layer, note: `no ${key}: the next date's ${layer} row counts compare with an earlier date` });
          continue;
        }
        await putLakeJson(qualityLayout.accepted(layer, loadDate), figures);
      }
    },
  };
}

/** The accepted figures of the newest date before `loadDate`, or null when there is none. */
async function previousFigures(layer: QualityLayer, loadDate: string): Promise<LayerFigures | null> {
  const keys = await listKeysUnderPrefix(requireEnv(envNames.lakeBucket), qualityLayout.acceptedPrefix(layer));
  const dates = keys
    .map((key) => acceptedDate(layer, key))
    .filter((date): date is string => date !== null && date < loadDate)
    .sort();
  const newest = dates.at(-1);
  return newest === undefined ? null : readFigures(qualityLayout.accepted(layer, newest));
}

async function readFigures(key: string): Promise<LayerFigures | null> {
  let stored: unknown;
  try {
    stored = await getLakeJson<unknown>(key);
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return null;
    throw new Error(`cannot read the data-quality figures ${key}: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const parsed = figuresSchema.safeParse(stored);
  if (!parsed.success) throw new Error(`data-quality figures ${key} are invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}
