import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jest } from '@jest/globals';
import { ConfigError, MAX_SHOWN_ISSUES } from '../../../src/errors.js';
import { loadConfig } from '../../../src/config/load-config.js';
import { configErrorOf } from '../../helpers/config-error.js';

const VALID = 'version: 1\ntarget: http://127.0.0.1:3000\nprofiles:\n  - name: caf\u00e9\n';
const dir = mkdtempSync(path.join(os.tmpdir(), 'perfgate-encoding-'));

async function loadBytes(bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, 'perfgate.yml');
  writeFileSync(file, bytes);
  try {
    const config = await loadConfig(file, {});
    return `valid: ${config.profiles[0]!.name}`;
  } catch (err) {
    if (err instanceof ConfigError) return err.message.replace(file, 'perfgate.yml');
    throw err;
  }
}

const utf16le = (text: string) => Buffer.from(text, 'utf16le');
const utf16be = (text: string) => utf16le(text).swap16();
const bytes = (...parts: Array<string | number[]>) =>
  Buffer.concat(parts.map(p => (typeof p === 'string' ? Buffer.from(p, 'utf8') : Buffer.from(p))));
const SAVE = 'save it as UTF-8';
const LEGACY = 'which UTF-8 does not allow here (a file in Latin-1 or Windows-1252?)';

describe('a config file that is not UTF-8 says so', () => {
  it.each<[string, Uint8Array, string]>([
    ['UTF-8', bytes(VALID), 'valid: café'],
    ['UTF-8 with a byte order mark', bytes([0xef, 0xbb, 0xbf], VALID), 'valid: café'],
    [
      'UTF-16 little-endian',
      bytes([0xff, 0xfe], [...utf16le(VALID)]),
      `perfgate.yml:1:1: expected a UTF-8 file, got UTF-16 (little-endian, byte order mark FF FE): ${SAVE}`
    ],
    [
      'UTF-16 big-endian',
      bytes([0xfe, 0xff], [...utf16be(VALID)]),
      `perfgate.yml:1:1: expected a UTF-8 file, got UTF-16 (big-endian, byte order mark FE FF): ${SAVE}`
    ],
    [
      'UTF-16 without a byte order mark',
      utf16le(VALID),
      `perfgate.yml:1:1: expected a UTF-8 file, got UTF-16 (NUL bytes between the characters): ${SAVE}`
    ],
    [
      'UTF-32 little-endian',
      bytes([0xff, 0xfe, 0x00, 0x00], [0x76, 0, 0, 0]),
      `perfgate.yml:1:1: expected a UTF-8 file, got UTF-32 (little-endian, byte order mark FF FE 00 00): ${SAVE}`
    ],
    [
      'a NUL byte',
      bytes('version: 1\ntarget: x\x00y\n'),
      'perfgate.yml:2:10: expected text, got a NUL byte (is this a binary file?)'
    ],
    [
      'Latin-1',
      bytes('version: 1\ntarget: http://127.0.0.1:3000\nprofiles:\n  - name: caf', [0xe9], '\n'),
      `perfgate.yml:4:14: expected UTF-8 text, got the byte 0xE9, ${LEGACY}: ${SAVE}`
    ],
    [
      'Windows-1252 after a valid multi-byte character',
      bytes('# ünïcode then \u20ac and ', [0x80], '\n'),
      `perfgate.yml:1:22: expected UTF-8 text, got the byte 0x80, ${LEGACY}: ${SAVE}`
    ],
    [
      'an overlong form',
      bytes('a: ', [0xc0, 0xaf]),
      `perfgate.yml:1:4: expected UTF-8 text, got the byte 0xC0, ${LEGACY}: ${SAVE}`
    ],
    [
      'a surrogate',
      bytes('a: ', [0xed, 0xa0, 0x80]),
      `perfgate.yml:1:4: expected UTF-8 text, got the byte 0xED, ${LEGACY}: ${SAVE}`
    ],
    [
      'a character cut at the end',
      bytes('a: b\nc: ', [0xe2, 0x82]),
      `perfgate.yml:2:4: expected UTF-8 text, got the byte 0xE2, ${LEGACY}: ${SAVE}`
    ]
  ])('%s', async (_, data, expected) => {
    expect(await loadBytes(data)).toBe(expected);
  });
});

const errorOf = configErrorOf;

const HEAD = ['version: 1', 'target: http://127.0.0.1:3000'];
const UNCLOSED = 'for the string that starts here, got none before the end of the file';

describe('YAML mistakes at their place', () => {
  it.each<[string, string[], string]>([
    [
      'an unclosed double quote',
      [...HEAD.slice(0, 1), 'target: "http://127.0.0.1:3000', 'profiles:', '  - name: a', ''],
      `perfgate.yml:2:9: expected a closing " ${UNCLOSED}`
    ],
    [
      'an unclosed single quote',
      [...HEAD, 'profiles:', "  - name: 'a", '    duration: 1s', '    trials: 2'],
      `perfgate.yml:4:11: expected a closing ' ${UNCLOSED}`
    ],
    [
      'an unclosed quote in a flow map',
      [...HEAD, 'profiles: [{ name: "a }]', 'report: {}'],
      `perfgate.yml:3:20: expected a closing " ${UNCLOSED}`
    ],
    [
      'a list as a key',
      [...HEAD, 'profiles:', '  - name: a', '? [a, b]', ': 1'],
      'perfgate.yml:5:3: expected a plain key (a name), got a list as a key'
    ],
    [
      'a map as a key',
      [...HEAD, '{ a: 1 }: 2', 'profiles: [{ name: a }]'],
      'perfgate.yml:3:1: expected a plain key (a name), got a map as a key'
    ],
    [
      'a complex key in a profile',
      [...HEAD, 'profiles:', '  - name: a', '    ? { duration: 1s }', '    : 2'],
      'perfgate.yml:5:7: expected a plain key (a name), got a map as a key'
    ]
  ])('%s', (_, lines, message) => {
    expect(errorOf(lines.join('\n')).message).toBe(message);
  });

  it('prints no warning of the YAML library', () => {
    const emit = jest.spyOn(process, 'emitWarning').mockImplementation(() => {});
    try {
      errorOf([...HEAD, '? [a, b]', ': 1', 'profiles: [{ name: a }]'].join('\n'));
      expect(emit).not.toHaveBeenCalled();
    } finally {
      emit.mockRestore();
    }
  });
});

describe('at most 50 issues printed', () => {
  const withErrors = (n: number) =>
    [...HEAD, 'profiles:', ...Array.from({ length: n }, (_, i) => `  - { name: p${i}, trials: 0 }`)].join(
      '\n'
    );

  it.each([
    [1, 1, ''],
    [MAX_SHOWN_ISSUES, MAX_SHOWN_ISSUES, ''],
    [MAX_SHOWN_ISSUES + 1, MAX_SHOWN_ISSUES, '… and 1 more'],
    [120, MAX_SHOWN_ISSUES, '… and 70 more']
  ])('%d issues: %d printed, then %j', (count, shown, more) => {
    const err = errorOf(withErrors(count));
    const lines = err.message.split('\n');
    expect(err.issues).toHaveLength(count);
    expect(err.shownIssues).toEqual(err.issues.slice(0, shown));
    expect(err.hiddenIssues).toBe(count - shown);
    expect(lines).toHaveLength(shown + (more ? 1 : 0));
    expect(lines[0]).toBe('perfgate.yml:4:25 profiles[0].trials: expected an integer from 1 to 1000, got 0');
    expect(lines.at(-1)).toBe(
      more ||
        `perfgate.yml:${3 + count}:${count > 10 ? 26 : 25} profiles[${count - 1}].trials: expected an integer from 1 to 1000, got 0`
    );
  });
});
