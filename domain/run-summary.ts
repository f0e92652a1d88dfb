/** The run summary (§7): what each step did, written as JSON and printed by the CLI. */
export interface ConsentTransformResult {
  asOfDate: string;
  previousAsOfDate: string | null;
  rows: { bronze: number; gold: number; rejects: number; changes: { new: number; changed: number; gone: number } };
  rejectsByReason: Record<string, number>;
}

export interface ConsentLoadResult {
  written: number;
  deleted: number;
  files: number;
}

export interface RunSummary {
  runId: string;
  loadDate: string;
  steps: string;
  consent: {
    files: number;
    previousAsOfDate: string | null;
    bronzeRows: number;
    goldRows: number;
    rejectedRows: number;
    rejectsByReason: Record<string, number>;
    changes: { new: number; changed: number; gone: number };
    fullLoad: boolean;
    writtenToDynamoDb: number;
    deletedFromDynamoDb: number;
  };
  durationsMs?: Record<string, number>;
}

export function buildRunSummary(input: {
  run: { runId: string; loadDate: string; steps: string; fullLoad: boolean; consentFiles: number };
  consentTransform: ConsentTransformResult;
  consentLoad: ConsentLoadResult;
}): RunSummary {
  const { run, consentTransform: transform, consentLoad: load } = input;
  return {
    runId: run.runId,
    loadDate: run.loadDate,
    steps: run.steps,
    consent: {
      files: run.consentFiles,
      previousAsOfDate: transform.previousAsOfDate,
      bronzeRows: transform.rows.bronze,
      goldRows: transform.rows.gold,
      rejectedRows: transform.rows.rejects,
      rejectsByReason: transform.rejectsByReason,
      changes: transform.rows.changes,
      fullLoad: run.fullLoad || transform.previousAsOfDate === null,
      writtenToDynamoDb: load.written,
      deletedFromDynamoDb: load.deleted,
    },
  };
}

/** Key of a run's summary in the lake bucket. */
export function runSummaryKey(runsPrefix: string, loadDate: string, runId: string): string {
  return `${runsPrefix}load_date=${loadDate}/run_id=${runId}/summary.json`;
}
