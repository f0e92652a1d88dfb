import { weighted } from './random.ts';

/** Names and email domains the generators draw borrowers from (upper case, as the servicing systems store them). */
export const FIRST_NAMES = [
  'JAMES', 'MARY', 'ROBERT', 'PATRICIA', 'JOHN', 'JENNIFER', 'MICHAEL', 'LINDA', 'DAVID', 'ELIZABETH', 'WILLIAM', 'BARBARA',
  'RICHARD', 'SUSAN', 'JOSEPH', 'JESSICA', 'THOMAS', 'SARAH', 'CARLOS', 'KAREN', 'DANIEL', 'LISA', 'MATTHEW', 'NANCY',
  'ANTHONY', 'MARIA', 'MARK', 'SANDRA', 'DONALD', 'ASHLEY', 'KEVIN', 'EMILY', 'JOSE', 'MICHELLE', 'BRIAN', 'AMANDA',
  'LUIS', 'ANA', 'DEANDRE', 'KEISHA', 'MINH', 'PRIYA', 'WEI', 'FATIMA', 'TYRONE', 'ROSA', 'IVAN', 'MEI',
];
export const LAST_NAMES = [
  'SMITH', 'JOHNSON', 'WILLIAMS', 'BROWN', 'JONES', 'GARCIA', 'MILLER', 'DAVIS', 'RODRIGUEZ', 'MARTINEZ', 'HERNANDEZ',
  'LOPEZ', 'GONZALEZ', 'WILSON', 'ANDERSON', 'THOMAS', 'TAYLOR', 'MOORE', 'JACKSON', 'MARTIN', 'LEE', 'PEREZ', 'THOMPSON',
  'WHITE', 'HARRIS', 'SANCHEZ', 'CLARK', 'RAMIREZ', 'LEWIS', 'ROBINSON', 'WALKER', 'YOUNG', 'ALLEN', 'KING', 'NGUYEN',
  "O'BRIEN", 'DE LA CRUZ', 'SMITH-JONES', 'PATEL', 'KIM', 'WASHINGTON', 'OKAFOR', 'MCDONALD', 'VAN DYKE',
];
/** QA accounts in production carry this last name (the sample configuration suppresses them). */
export const TEST_LAST_NAME = 'ZZTEST';
export const EMAIL_DOMAINS = weighted([['gmail.com', 45], ['yahoo.com', 18], ['hotmail.com', 10], ['outlook.com', 9], ['icloud.com', 8], ['aol.com', 4], ['comcast.net', 3], ['att.net', 3]]);
