/**
 * §6.5: the A/B group is a pure function of (payoffuid, test name), so a customer keeps its group
 * every day and across tests of the same name. FNV-1a over the UTF-16 code units, then the
 * murmur3 finalizer so that nearby ids spread evenly over [0, 2^32).
 */
export function abGroup(payoffuid: string, testName: string, split: number): 'A' | 'B' {
  return abHash(payoffuid, testName) / 4_294_967_296 < split ? 'A' : 'B';
}

export function abHash(payoffuid: string, testName: string): number {
  let h = 0x811c9dc5;
  const key = `${testName}\u0000${payoffuid}`;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
