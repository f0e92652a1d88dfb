import type { z } from 'zod';

/** A schema's failures as `path: message`, the path dotted; `whole` names a failure of the value itself (`(row)`, `event`). */
export function schemaProblems(error: z.ZodError, whole: string): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || whole}: ${issue.message}`);
}
