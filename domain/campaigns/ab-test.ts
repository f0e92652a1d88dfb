/**
 * §6.5: the A/B group is a pure function of (test name, payoffuid), so a customer keeps its group
 * every day, and lists sharing a test name share the groups. FNV-1a over the UTF-16 code units of
 * `name NUL payoffuid`, then the murmur3 finalizer so that nearby ids spread evenly over [0, 2^32).
 * The test name's part of the hash is computed once, when the configuration is compiled.
 */
export function abTest(name: string, split: number): (payoffuid: string) => 'A' | 'B' {
  const hash = seededHash(name);
  const threshold = split * 4_294_967_296;
  return (payoffuid) => (hash(payoffuid) < threshold ? 'A' : 'B');
}

/** The same hash as a function of `key` for a fixed `seed`: an integer in [0, 2^32). Also the tie order of list shaping. */
export function seededHash(seed: string): (key: string) => number {
  const prefix = fnv1a(0x811c9dc5, `${seed}\u0000`);
  return (key) => finalize(fnv1a(prefix, key));
}

function fnv1a(state: number, text: string): number {
  let h = state;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

function finalize(state: number): number {
  let h = Math.imul(state ^ (state >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
