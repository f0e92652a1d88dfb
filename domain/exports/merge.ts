/**
 * Merges sources that are each sorted by `compare` into one sorted sequence, holding one item per
 * source. A query engine may split a sorted result over several files (Athena's UNLOAD does); each
 * file keeps the order, so the merge restores the whole order. A source out of order is an error
 * naming it, never a silently unsorted output.
 */
export async function* mergeSorted<T>(sources: readonly { name: string; items: AsyncIterable<T> }[], compare: (a: T, b: T) => number): AsyncGenerator<T> {
  const heads: { name: string; iterator: AsyncIterator<T>; item: T }[] = [];
  const advance = async (name: string, iterator: AsyncIterator<T>, previous?: T) => {
    const next = await iterator.next();
    if (next.done) return;
    if (previous !== undefined && compare(previous, next.value) > 0) throw new Error(`${name}: not sorted`);
    heads.push({ name, iterator, item: next.value });
  };
  for (const source of sources) await advance(source.name, source.items[Symbol.asyncIterator]());
  while (heads.length > 0) {
    let smallest = 0;
    for (let index = 1; index < heads.length; index += 1) {
      if (compare(heads[index]!.item, heads[smallest]!.item) < 0) smallest = index;
    }
    const [head] = heads.splice(smallest, 1);
    yield head!.item;
    await advance(head!.name, head!.iterator, head!.item);
  }
}
