/** CSV header lines read as CSV (tasks/core/csv-header.ts), as re-exports and data portals write them. */
import { headerName, headerNames } from '../tasks/core/csv-header';

it.each([
  ['plain', 'DATE,CUSR0000SS62031', ['DATE', 'CUSR0000SS62031']],
  ['quoted, CRLF', '"Date","CUSR0000SS62031"\r', ['Date', 'CUSR0000SS62031']],
  ['a BOM and spaces around the names', '\uFEFF userId , "movieId" ,rating', ['userId', 'movieId', 'rating']],
  ['a comma and a doubled quote inside quotes', '"a,b","say ""hi""",c', ['a,b', 'say "hi"', 'c']],
  ['an empty name', 'a,,c', ['a', '', 'c']],
  ['a quote inside an unquoted name', 'inch",b', ['inch"', 'b']],
])('headerNames: %s', (_case, line, names) => {
  expect(headerNames(line)).toEqual(names);
});

it('headerName: a field a CSV reader split, without BOM, spaces and the quotes left after a space', () => {
  expect(['\uFEFFDATE', ' "CUSR0000SS62031"', 'Date ', '"say ""hi"""'].map(headerName)).toEqual(['DATE', 'CUSR0000SS62031', 'Date', 'say "hi"']);
});
