import Handlebars from 'handlebars';
import { codeSpan, escapeMarkdown } from '../../src/report/format.js';
import { escapeXml } from '../../src/report/svg-parts.js';
import { maskSecrets } from '../../src/reporter.js';
import { maskStrings, maskUrlPasswords } from '../../src/secret-masking.js';

const SECRETS = ['ghp_S3cr3t*tok', 'p"a<s&s>\'w`o=rd\\', 'ünïcödé-€-𝄞', 'a|b#c~d$e[f]'];
const ESCAPERS: Array<[string, (s: string) => string]> = [
  ['as is', s => s],
  ['JSON', s => JSON.stringify(s)],
  ['JSON in JSON', s => JSON.stringify(JSON.stringify(s))],
  ['HTML (handlebars)', s => Handlebars.escapeExpression(s)],
  ['XML', escapeXml],
  ['markdown', escapeMarkdown],
  ['markdown code span', codeSpan],
  ['percent-encoded', encodeURIComponent],
  ['zero-width spaces', s => [...s].join('\u200b')]
];

describe('maskSecrets', () => {
  const mask = maskSecrets(SECRETS);
  const cases = SECRETS.flatMap(secret => ESCAPERS.map(([how, escape]) => ({ secret, how, escape })));

  it.each(cases)('masks $secret written $how', ({ secret, escape }) => {
    const text = `before ${escape(`x ${secret} y`)} after`;
    const masked = mask(text);
    expect(masked).toContain('***');
    // What is left holds no piece of the secret longer than a few characters.
    expect(masked).not.toContain(secret);
    expect(masked).not.toContain(escape(secret));
    expect(masked).toMatch(/^before .*x.*\*\*\*.*y.* after$/s);
  });

  it('leaves text without secrets as it is, numbers and words alike', () => {
    const text = 'p(95) 12.5 ms, 1000 req/s, ghp_other, "quoted" <b>&amp;</b> %41';
    expect(mask(text)).toBe(text);
  });

  it('masks a secret that contains another one whole', () => {
    expect(maskSecrets(['abc', 'xabcx'])('1 xabcx 2 abc')).toBe('1 *** 2 ***');
  });

  it('masks nothing with no secrets but URL passwords', () => {
    expect(maskSecrets([])('plain http://u:pw@h/ text')).toBe('plain http://u:***@h/ text');
  });
});

describe('maskUrlPasswords', () => {
  it.each([
    ['http://user:pass@127.0.0.1:3000/', 'http://user:***@127.0.0.1:3000/'],
    [
      'postgres://admin:hunter2@db:5432/x and https://u:p%40ss@h',
      'postgres://admin:***@db:5432/x and https://u:***@h'
    ],
    ['"url": "http://user:p&#x3D;w@host/"', '"url": "http://user:***@host/"'],
    ['markdown http:\u200b//user:pw@\u200bhost', 'markdown http:\u200b//user:***@\u200bhost'],
    ['redis://:only-password@cache:6379', 'redis://:***@cache:6379'],
    [
      'no password: http://user@host/ git@github.com:a/b http://h:8080/',
      'no password: http://user@host/ git@github.com:a/b http://h:8080/'
    ],
    [
      'a raw & in it: https://u:pa&ss@h and http://u:p&amp;w@h',
      'a raw & in it: https://u:***@h and http://u:***@h'
    ]
  ])('%s', (text, masked) => {
    expect(maskUrlPasswords(text)).toBe(masked);
  });

  // Each of these took exponential or quadratic time before (6 quoted fields: 6.5 s; 100 KB: 9 s);
  // now they are linear, and a regression shows as a test that never ends.
  it('an HTML-escaped JSON log line with many quoted fields, and its URL password', () => {
    const fields = Array.from({ length: 40 }, (_, i) => `&quot;k${i}&quot;:&quot;v${i}&quot;`).join(',');
    const line = `{&quot;db&quot;:&quot;postgres://app:s3cr3t@db/x&quot;,${fields}}`;
    expect(maskUrlPasswords(line)).toBe(line.replace('s3cr3t', '***'));
    const noPassword = `{&quot;url&quot;:&quot;http://127.0.0.1:3000&quot;,${fields}}`;
    expect(maskUrlPasswords(noPassword)).toBe(noPassword);
  });

  it('a long unbroken word, and one made of scheme characters and colons', () => {
    const word = 'a'.repeat(200_000);
    expect(maskUrlPasswords(word)).toBe(word);
    const colons = 'ab:'.repeat(50_000);
    expect(maskUrlPasswords(colons)).toBe(colons);
  });
});

describe('maskStrings', () => {
  it('masks every string of a plain value, keys included, and keeps the rest', () => {
    const mask = maskSecrets(['tok3n']);
    const value = { a: ['x tok3n', 1, true, null], tok3n: { b: 'http://u:pw@h' } };
    expect(maskStrings(value, mask)).toEqual({ a: ['x ***', 1, true, null], '***': { b: 'http://u:***@h' } });
    expect(value.a[0]).toBe('x tok3n');
  });
});
