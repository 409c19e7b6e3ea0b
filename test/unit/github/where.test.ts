import { parseWhere } from '../../../src/github/where.js';

describe('parseWhere', () => {
  it.each([
    ['/ws/perf/perfgate.yml:12:5', '/ws', { file: 'perf/perfgate.yml', startLine: 12, startColumn: 5 }],
    ['perfgate.yml:3:1', '/ws', { file: 'perfgate.yml', startLine: 3, startColumn: 1 }],
    ['/elsewhere/p.yml:3:1', '/ws', { file: '/elsewhere/p.yml', startLine: 3, startColumn: 1 }],
    ['/ws/perfgate.yml', '/ws', { file: 'perfgate.yml' }],
    ['C:/x.yml:1:2', undefined, { file: 'C:/x.yml', startLine: 1, startColumn: 2 }],
    ['', undefined, {}]
  ])('%s', (where, ws, expected) => expect(parseWhere(where, ws)).toEqual(expected));
});
