import { weighted, type Rng } from './random.ts';

/** Names and email domains the generators draw borrowers from (upper case, as the servicing systems store them). */
export const FIRST_NAMES = [
  'JAMES',
  'MARY',
  'ROBERT',
  'PATRICIA',
  'JOHN',
  'JENNIFER',
  'MICHAEL',
  'LINDA',
  'DAVID',
  'ELIZABETH',
  'WILLIAM',
  'BARBARA',
  'RICHARD',
  'SUSAN',
  'JOSEPH',
  'JESSICA',
  'THOMAS',
  'SARAH',
  'CARLOS',
  'KAREN',
  'DANIEL',
  'LISA',
  'MATTHEW',
  'NANCY',
  'ANTHONY',
  'MARIA',
  'MARK',
  'SANDRA',
  'DONALD',
  'ASHLEY',
  'KEVIN',
  'EMILY',
  'JOSE',
  'MICHELLE',
  'BRIAN',
  'AMANDA',
  'LUIS',
  'ANA',
  'DEANDRE',
  'KEISHA',
  'MINH',
  'PRIYA',
  'WEI',
  'FATIMA',
  'TYRONE',
  'ROSA',
  'IVAN',
  'MEI',
];
export const LAST_NAMES = [
  'SMITH',
  'JOHNSON',
  'WILLIAMS',
  'BROWN',
  'JONES',
  'GARCIA',
  'MILLER',
  'DAVIS',
  'RODRIGUEZ',
  'MARTINEZ',
  'HERNANDEZ',
  'LOPEZ',
  'GONZALEZ',
  'WILSON',
  'ANDERSON',
  'THOMAS',
  'TAYLOR',
  'MOORE',
  'JACKSON',
  'MARTIN',
  'LEE',
  'PEREZ',
  'THOMPSON',
  'WHITE',
  'HARRIS',
  'SANCHEZ',
  'CLARK',
  'RAMIREZ',
  'LEWIS',
  'ROBINSON',
  'WALKER',
  'YOUNG',
  'ALLEN',
  'KING',
  'NGUYEN',
  "O'BRIEN",
  'DE LA CRUZ',
  'SMITH-JONES',
  'PATEL',
  'KIM',
  'WASHINGTON',
  'OKAFOR',
  'MCDONALD',
  'VAN DYKE',
];
/** QA accounts in production carry this last name (the sample configuration suppresses them). */
export const TEST_LAST_NAME = 'ZZTEST';
export const EMAIL_DOMAINS = weighted([
  ['gmail.com', 45],
  ['yahoo.com', 18],
  ['hotmail.com', 10],
  ['outlook.com', 9],
  ['icloud.com', 8],
  ['aol.com', 4],
  ['comcast.net', 3],
  ['att.net', 3],
]);

/**
 * Consumer names as the client's system of record holds them (consent exports): mostly the plain names
 * above, now and then a double surname joined with `|` (the export then quotes the field), a nickname in
 * double quotes, or an accented surname (UTF-8).
 */
export const CONSUMER_NAME_SHARES = { pipeJoinedLastName: 0.006, nicknamedFirstName: 0.003, accentedLastName: 0.01 } as const;
export const NICKNAMED_FIRST_NAMES = ['ROBERT "BOB"', 'WILLIAM "BILL"', 'ELIZABETH "LIZ"', 'JOSEPH "JOE"', 'JOSÉ "PEPE"', 'MARGARET "PEGGY"'];
export const ACCENTED_LAST_NAMES = ['MUÑOZ', 'PEÑA', 'JIMÉNEZ', 'GÓMEZ', 'NÚÑEZ', 'IBÁÑEZ', 'CASTAÑEDA', 'BÉLANGER'];

export function drawConsumerName(rng: Rng): { firstName: string; lastName: string } {
  const firstName = rng.chance(CONSUMER_NAME_SHARES.nicknamedFirstName)
    ? NICKNAMED_FIRST_NAMES[rng.int(NICKNAMED_FIRST_NAMES.length)]
    : FIRST_NAMES[rng.int(FIRST_NAMES.length)];
  const u = rng.next();
  const lastName = LAST_NAMES[rng.int(LAST_NAMES.length)];
  if (u < CONSUMER_NAME_SHARES.pipeJoinedLastName) {
    const second = LAST_NAMES[(LAST_NAMES.indexOf(lastName) + 1 + rng.int(LAST_NAMES.length - 1)) % LAST_NAMES.length];
    return { firstName, lastName: `${lastName}|${second}` };
  }
  if (u < CONSUMER_NAME_SHARES.pipeJoinedLastName + CONSUMER_NAME_SHARES.accentedLastName) {
    return { firstName, lastName: ACCENTED_LAST_NAMES[rng.int(ACCENTED_LAST_NAMES.length)] };
  }
  return { firstName, lastName };
}

/** A 9-digit SSN as issued: area 001–899 except 666, group 01–99, serial 0001–9999. */
export function drawSsn(rng: Rng): string {
  let area: number;
  do area = 1 + rng.int(899);
  while (area === 666);
  const group = 1 + rng.int(99);
  const serial = 1 + rng.int(9999);
  return `${String(area).padStart(3, '0')}${String(group).padStart(2, '0')}${String(serial).padStart(4, '0')}`;
}
