/**
 * CSV as RFC 4180 writes it: records end with CRLF; a field is quoted when it holds a double quote,
 * a comma, a CR or an LF — and also, as Genesys Cloud asks, when it starts or ends with a space —
 * with each double quote doubled. An absent value (null/undefined) is an empty field.
 */
const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/;

export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

export function csvRecord(fields: readonly (string | null | undefined)[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * Parses RFC 4180 text into records of fields (CRLF or LF line ends; a final line end does not make
 * an empty record). Strict: a quote inside an unquoted field, text after a closing quote or an
 * unterminated quoted field is an error naming the record (1-based, the header is record 1).
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  /** The current field was quoted and its closing quote read: only a separator or a line end may follow. */
  let closed = false;
  let index = 0;
  const fail = (problem: string): never => {
    throw new Error(`CSV record ${records.length + 1}: ${problem}`);
  };
  const endField = () => {
    record.push(field);
    field = '';
    closed = false;
  };
  while (index < text.length) {
    const char = text[index]!;
    if (char === ',') {
      endField();
      index += 1;
    } else if (char === '\r' || char === '\n') {
      endField();
      records.push(record);
      record = [];
      index += char === '\r' && text[index + 1] === '\n' ? 2 : 1;
    } else if (closed) {
      fail('text after a closing double quote');
    } else if (char === '"') {
      if (field !== '') fail('a double quote inside an unquoted field');
      let end = index + 1;
      for (;;) {
        end = text.indexOf('"', end);
        if (end < 0) fail('an unterminated quoted field');
        if (text[end + 1] !== '"') break;
        end += 2;
      }
      field = text.slice(index + 1, end).replaceAll('""', '"');
      closed = true;
      index = end + 1;
    } else {
      field += char;
      index += 1;
    }
  }
  if (field !== '' || closed || record.length > 0) {
    endField();
    records.push(record);
  }
  return records;
}
