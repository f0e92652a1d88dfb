import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvField, csvRecord, parseCsv } from '../../../domain/exports/csv.ts';
import { mergeSorted } from '../../../domain/exports/merge.ts';

describe('CSV (RFC 4180)', () => {
  it('quotes fields with quotes, commas, line breaks or edge spaces, doubling quotes; null is empty', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('+13125550100')).toBe('+13125550100');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
    expect(csvField(' leading')).toBe('" leading"');
    expect(csvField('trailing ')).toBe('"trailing "');
    expect(csvField(null)).toBe('');
    expect(csvRecord(['a', null, 'b,c'])).toBe('a,,"b,c"\r\n');
  });

  it('reads back exactly what it writes, for any fields', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ unit: 'binary' }), { minLength: 2, maxLength: 6 }), { minLength: 1, maxLength: 5 }), (records) => {
        expect(parseCsv(records.map(csvRecord).join(''))).toEqual(records);
      }),
    );
  });

  it('refuses malformed text, naming the record', () => {
    expect(() => parseCsv('a,b\r\nx"y,z\r\n')).toThrow('CSV record 2: a double quote inside an unquoted field');
    expect(() => parseCsv('a,"b\r\n')).toThrow('CSV record 1: an unterminated quoted field');
    expect(() => parseCsv('"a"b,c\r\n')).toThrow('CSV record 1: text after a closing double quote');
    expect(parseCsv('a,b\nc,""\n')).toEqual([
      ['a', 'b'],
      ['c', ''],
    ]);
  });
});

describe('merge of sorted unloaded files', () => {
  async function* items(values: number[]) {
    yield* values;
  }
  const collect = async (iterable: AsyncIterable<number>) => {
    const values: number[] = [];
    for await (const value of iterable) values.push(value);
    return values;
  };

  it('restores the whole order from files that are each sorted', async () => {
    const merged = mergeSorted(
      [
        { name: 'a', items: items([1, 4, 9]) },
        { name: 'b', items: items([2, 3, 10]) },
        { name: 'c', items: items([]) },
      ],
      (x, y) => x - y,
    );
    expect(await collect(merged)).toEqual([1, 2, 3, 4, 9, 10]);
  });

  it('fails on a file out of order instead of writing an unsorted file', async () => {
    const merged = mergeSorted([{ name: 's3://lake/part-1', items: items([1, 5, 2]) }], (x, y) => x - y);
    await expect(collect(merged)).rejects.toThrow('s3://lake/part-1: not sorted');
  });
});
