import { z } from 'zod';
import { describeValue, fallbackMessage } from '../../../src/config/messages.js';

describe('describeValue', () => {
  it.each<[unknown, string]>([
    [undefined, 'nothing'],
    [null, 'an empty value'],
    ['thirty', '"thirty"'],
    ['a\nb', '"a\\nb"'],
    ['x'.repeat(70), `"${'x'.repeat(60)}…"`],
    [30, '30'],
    [false, 'false'],
    [[], 'an empty list'],
    [[1], 'a list'],
    [{}, 'an empty map'],
    [{ a: 1 }, 'a map']
  ])('%j → %s', (value, text) => {
    expect(describeValue(value)).toBe(text);
  });
});

describe('fallbackMessage', () => {
  // Schemas without their own `expected`: the wording must still be ours, never zod's.
  it.each<[z.ZodType, unknown, string]>([
    [z.string(), 5, 'expected a string, got 5'],
    [z.int(), 1.5, 'expected an integer, got 1.5'],
    [z.array(z.number()), 'x', 'expected a list, got "x"'],
    [z.object({}), [], 'expected a map, got an empty list'],
    [z.enum(['a', 'b']), 'c', 'expected one of "a", "b", got "c"'],
    [z.number().min(2), 1, 'expected a value >= 2, got 1'],
    [z.number().max(2), 3, 'expected a value <= 2, got 3'],
    [z.array(z.number()).min(1), [], 'expected at least 1, got an empty list'],
    [z.string().regex(/^a/), 'b', 'expected a valid value, got "b"']
  ])('%#: %j', (schema, value, message) => {
    const result = schema.safeParse(value, { error: fallbackMessage });
    expect(result.error?.issues.map(i => i.message)).toEqual([message]);
  });
});
