import { formatPath } from '../../../src/config/format-issues.js';
import { YamlSource, type PathSegment } from '../../../src/config/yaml-positions.js';

describe('formatPath', () => {
  it.each<[PathSegment[], string]>([
    [[], ''],
    [['target'], 'target'],
    [['profiles', 1, 'duration'], 'profiles[1].duration'],
    [
      ['profiles', 0, 'requests', 2, 'headers', 'content-type'],
      'profiles[0].requests[2].headers.content-type'
    ],
    [
      ['profiles', 0, 'thresholds', 'http_req_duration{request:a}', 0],
      'profiles[0].thresholds["http_req_duration{request:a}"][0]'
    ],
    [['profiles', 0, 'compare', 'http_reqs.rate'], 'profiles[0].compare["http_reqs.rate"]']
  ])('%j → %s', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});

describe('YamlSource.position', () => {
  const source = new YamlSource(
    [
      'a: 1', //
      'list:',
      '  - { x: 1, y: [10, 20] }',
      '  - name: n',
      'empty:',
      'anchor: &v { k: 5 }',
      'alias: *v'
    ].join('\n')
  );

  it.each<[PathSegment[], 'key' | 'value', string]>([
    [['a'], 'value', '1:4'],
    [['a'], 'key', '1:1'],
    [['list', 0, 'y', 1], 'value', '3:21'],
    [['list', 0, 'y', 5], 'value', '3:16'],
    [['list', 1, 'name'], 'value', '4:11'],
    [['list', 1, 'missing'], 'value', '4:5'],
    [['missing'], 'value', '1:1'],
    [['empty'], 'value', '5:1'],
    [['empty', 'deeper'], 'value', '5:1'],
    [['a', 'deeper'], 'value', '1:4'],
    [['alias', 'k'], 'value', '6:17']
  ])('%j (%s) is at %s', (path, at, pos) => {
    const { line, col } = source.position(path, at);
    expect(`${line}:${col}`).toBe(pos);
  });
});
