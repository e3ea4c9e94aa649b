/**
 * The row builders of the mappings (rowOf): values by column name in, the contract's column order
 * out, whatever order the values come in; a wrong set of columns is a programming error; a
 * missing required value or a value the warehouse column cannot hold rejects the record.
 */
import { rowOf } from '../tasks/transform/mapping';
import { RowRejection } from '../tasks/transform/rejection';

const people = rowOf('people');

function rejection(build: () => unknown): { code: string; message: string } {
  try {
    build();
  } catch (error) {
    if (error instanceof RowRejection) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('row builder', () => {
  it('returns the values in column order, whatever order they are given in', () => {
    const expected = { dataset: 'people', values: ['31', 'Tom Hanks', '2', null] };
    expect(people({ person_id: '31', name: 'Tom Hanks', gender: '2', profile_path: null })).toEqual(expected);
    expect(people({ profile_path: null, gender: '2', name: 'Tom Hanks', person_id: '31' })).toEqual(expected);
    expect(people({ person_id: '31', gender: '2', name: 'Tom Hanks', profile_path: null })).toEqual(expected);
  });

  it('throws a TypeError naming the columns when one is missing or extra, in any order', () => {
    expect(() => people({ person_id: '31', name: 'Tom Hanks', gender: '2' })).toThrow(
      new TypeError('staged row for people has columns [person_id, name, gender], expected [person_id, name, gender, profile_path]'),
    );
    expect(() => people({ person_id: '31', name: 'Tom Hanks', gender: '2', profile_path: null, age: '67' })).toThrow(TypeError);
    expect(() => people({ name: 'Tom Hanks', person_id: '31', gender: '2', profile: null })).toThrow(TypeError);
  });

  it('rejects the record when a required value is missing or a value does not fit its warehouse column', () => {
    expect(rejection(() => people({ person_id: '31', name: null, gender: '2', profile_path: null }))).toEqual({
      code: 'missing_value',
      message: 'missing_value: people.name is required but missing',
    });
    expect(rejection(() => people({ gender: null, person_id: '31', profile_path: null, name: null })).code).toBe('missing_value');
    expect(rejection(() => people({ person_id: '31', name: 'é'.repeat(513), gender: null, profile_path: null }))).toEqual({
      code: 'value_too_long',
      message: 'value_too_long: people.name: 1026 bytes, the warehouse column holds at most 1024',
    });
    // A missing required value is reported before a value that is too long.
    expect(rejection(() => people({ person_id: null, name: 'é'.repeat(513), gender: null, profile_path: null })).code).toBe('missing_value');
  });
});
