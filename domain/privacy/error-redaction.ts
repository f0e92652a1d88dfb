/**
 * The text of an error that leaves a step (Step Functions history, the failure notification, stderr) without
 * the row contents a SQL engine quotes: DuckDB's CSV errors print the offending line ("Original Line: …" —
 * names, account, phone, SSN) and the reader's options; conversion errors quote the value. Kept: the
 * error's kind, the line number, the problem, the file, on one line (`; ` between the parts: a notification
 * or a CLI shows no raw line breaks). Messages of the application's own errors name files, lines and counts
 * only, on one line, and pass unchanged.
 */
const DROPPED_LINE = /^\s*(?:Original Line:|Possible Solution:|LINE \d+:|\^|[a-z_]+ = )/;
/** A quoted SQL value ('JOHN SMITH'), not an apostrophe (the table's). */
const QUOTED_VALUE = /(?<![A-Za-z0-9])'(?:[^']|'')*'(?![A-Za-z0-9])/g;
const FILE_OPTION = /^\s*file = (.*)$/;

export function redactRowContents(message: string): string {
  const lines = message.split('\n');
  const kept: string[] = [];
  for (const line of lines) {
    const file = FILE_OPTION.exec(line);
    if (file) kept.push(`file = ${file[1]!.trim()}`);
    else if (!DROPPED_LINE.test(line) && line.trim() !== '') kept.push(line.replace(QUOTED_VALUE, "'…'").trim());
  }
  return kept.join('; ');
}
