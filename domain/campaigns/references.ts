export type ListReference = { ok: true; setIndex: number; listIndex: number } | { ok: false; kind: 'unknown' | 'ambiguous'; problem: string };

/**
 * Resolves an `exclude_if_on_lists` entry: `SET/LIST`, or a bare list name that exists in exactly
 * one set. The validator reports the problems; the compiler relies on them being absent.
 */
/** Only the names of the sets and lists matter, so the validator can resolve references in a configuration that is not yet valid. */
export type ListNames = { readonly sets: readonly { readonly name: string; readonly lists: readonly { readonly name: string }[] }[] };

export function resolveListReference(config: ListNames, reference: string): ListReference {
  const slash = reference.indexOf('/');
  const setName = slash < 0 ? null : reference.slice(0, slash);
  const listName = slash < 0 ? reference : reference.slice(slash + 1);
  const matches: { setIndex: number; listIndex: number }[] = [];
  config.sets.forEach((set, setIndex) => {
    if (setName !== null && set.name !== setName) return;
    set.lists.forEach((list, listIndex) => {
      if (list.name === listName) matches.push({ setIndex, listIndex });
    });
  });
  if (matches.length === 1) return { ok: true, ...matches[0]! };
  if (matches.length === 0) {
    const unknownSet = setName !== null && !config.sets.some((set) => set.name === setName);
    return { ok: false, kind: 'unknown', problem: unknownSet ? `unknown set '${setName}' in list reference '${reference}'` : `unknown list '${reference}'` };
  }
  return { ok: false, kind: 'ambiguous', problem: `list name '${listName}' exists in several sets: write it as SET/LIST` };
}
