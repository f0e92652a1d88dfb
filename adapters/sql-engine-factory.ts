import { envNames, requireEnv } from '../config/environment.ts';
import type { SqlEngine } from './sql-engine.ts';

/**
 * `OUTBOUND_SQL_ENGINE=duckdb` → DuckDB over the local home and data directories; otherwise Athena.
 * Both are imported on demand, so the Lambda bundle never loads DuckDB's native module.
 */
export async function createSqlEngine(): Promise<SqlEngine> {
  if (process.env[envNames.sqlEngine] === 'duckdb') {
    const { DuckDbEngine } = await import('./duckdb-engine.ts');
    return DuckDbEngine.open({
      home: requireEnv(envNames.localHome),
      dataDir: process.env[envNames.localData],
      memoryLimit: process.env[envNames.duckdbMemoryLimit],
    });
  }
  const { AthenaEngine } = await import('./athena-engine.ts');
  return new AthenaEngine({
    workgroup: requireEnv(envNames.athenaWorkgroup),
    database: requireEnv(envNames.glueDatabase),
    rawBucket: requireEnv(envNames.rawBucket),
    lakeBucket: requireEnv(envNames.lakeBucket),
  });
}
