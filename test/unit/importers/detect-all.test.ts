/**
 * Detection across every format (SPEC §4 "formats are detected from content"): every fixture of a
 * real or documented output is recognised as its own format or as none, never as another; every
 * format recognises at least one of its fixtures; and what cannot be read is said, with the file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { IMPORTERS } from '../../../src/importers/index.js';
import {
  DETECT_THRESHOLD,
  decodeOutput,
  detectFormat,
  importText
} from '../../../src/importers/read-import.js';

const ROOT = new URL('../../fixtures/imports/', import.meta.url).pathname;
/** Fixture folder → the format its outputs are. */
const FOLDER_FORMAT: Record<string, string[]> = {
  generic: ['generic-smaller', 'generic-bigger']
};
const fixtures = readdirSync(ROOT).flatMap(dir =>
  readdirSync(path.join(ROOT, dir))
    .filter(f => /\.(json|txt|xml)$/.test(f) && !/^VERSION/.test(f))
    .map(f => ({ dir, file: path.join(ROOT, dir, f), name: `${dir}/${f}` }))
);

describe('format detection over every fixture', () => {
  it('has fixtures of every format', () => {
    const dirs = new Set(fixtures.map(f => f.dir));
    for (const importer of IMPORTERS) {
      const dir =
        Object.entries(FOLDER_FORMAT).find(([, f]) => f.includes(importer.format))?.[0] ?? importer.format;
      expect([importer.format, dirs.has(dir)]).toEqual([importer.format, true]);
    }
  });

  it.each(fixtures.map(f => [f.name, f] as const))('%s is never taken for another format', (_, f) => {
    const text = readFileSync(f.file, 'utf8');
    const own = FOLDER_FORMAT[f.dir] ?? [f.dir];
    const confident = IMPORTERS.filter(i => i.detect(text) >= DETECT_THRESHOLD).map(i => i.format);
    expect(confident.filter(format => !own.includes(format))).toEqual([]);
  });

  it('recognises each format in at least one of its fixtures', () => {
    for (const importer of IMPORTERS.filter(i => !i.format.startsWith('generic'))) {
      const own = fixtures.filter(f => f.dir === importer.format);
      const found = own.filter(f => {
        try {
          return detectFormat(readFileSync(f.file, 'utf8'), IMPORTERS, f.name) === importer;
        } catch {
          return false;
        }
      });
      expect([importer.format, found.length > 0]).toEqual([importer.format, true]);
    }
  });

  it('names both generic formats when a generic list is not named, and reads it when it is', () => {
    const text = readFileSync(path.join(ROOT, 'generic/smaller.json'), 'utf8');
    expect(() => detectFormat(text, IMPORTERS, 'bench.json')).toThrow(
      'bench.json: it could be generic-smaller or generic-bigger; name it with format:'
    );
    expect(importText(text, 'bench.json', IMPORTERS, 'generic-smaller').format).toBe('generic-smaller');
  });
});

describe('files that are no output of a supported tool', () => {
  it('an empty, blank, binary or non-UTF-8 file', () => {
    expect(() => decodeOutput(new Uint8Array(), 'a.json')).toThrow('a.json: the file is empty');
    expect(() => decodeOutput(new TextEncoder().encode(' \n\t\n'), 'a.json')).toThrow(
      'a.json: the file is empty'
    );
    expect(() => decodeOutput(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 0, 1]), 'a.out')).toThrow(
      'a.out: a binary file, not the text output of a benchmark tool'
    );
    expect(() => decodeOutput(Uint8Array.from([0x41, 0xff, 0xfe, 0x42]), 'b.txt')).toThrow(
      'b.txt: not UTF-8 text (a binary file?)'
    );
  });

  it('text of no known format names the formats to choose from', () => {
    expect(() => detectFormat('hello world\n', IMPORTERS, 'notes.txt')).toThrow(
      /^notes\.txt: no supported format recognised; name it with format: \(one of go, libtest, criterion, .*, generic-bigger\)$/
    );
  });

  it('an unknown format name lists the known ones', () => {
    expect(() => importText('{}', 'x.json', IMPORTERS, 'gobench')).toThrow(
      /^x\.json: unknown format "gobench"; expected one of go, libtest/
    );
  });
});
