/**
 * Reading a pprof profile (github.com/google/pprof `proto/profile.proto`) as an endpoint or a file
 * gives it: gzipped or raw protobuf, decoded by DataDog's `pprof-format` (never by hand-written
 * protobuf code), then checked. The check matters because that decoder is lenient by design: a cut
 * body decodes without a word (a length that runs past the end is clamped), and an HTML error page
 * may decode into an empty profile. So every reference is followed here — string indices, location,
 * function and mapping ids, one value per sample type — and whatever does not hold is an
 * `ImportError` naming the file and the place.
 *
 * What cannot be told apart: a raw (not gzipped) protobuf cut inside its last string. Go writes the
 * string table last, so a cut anywhere before loses strings that functions name (caught); endpoints
 * serve the profile gzipped, and gunzip refuses any cut (its trailer holds the length and CRC).
 */
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { ImportError } from '../errors.js';

/** A decompressed profile larger than this is refused (a wrong endpoint streaming something else). */
export const MAX_PROFILE_BYTES = 1 << 30;

/** A pprof number (the decoder gives a bigint above 28 bits) as a JS number; int64 values keep their sign. */
export function num(value: number | bigint): number {
  return typeof value === 'bigint' ? Number(BigInt.asIntN(64, value)) : value;
}

/**
 * Decodes and checks one profile. `where` is prefixed to the place in errors (`profile 2 of 3`),
 * for a caller that reads several profiles into one file.
 */
export function readPprof(data: Uint8Array, file: string, where = ''): Profile {
  const fail = (detail: string, at = ''): never => {
    throw new ImportError(file, [where, at].filter(Boolean).join(', '), 'pprof', detail);
  };
  if (data.length === 0) fail('empty: no bytes at all, not a pprof profile');
  let raw = data;
  if (data[0] === 0x1f && data[1] === 0x8b) {
    try {
      raw = gunzipSync(data, { maxOutputLength: MAX_PROFILE_BYTES });
    } catch (err) {
      fail(`not a whole gzip stream (${(err as Error).message}): the profile is truncated or corrupt`);
    }
    if (raw.length === 0) fail('empty: the gzip stream holds no bytes, not a pprof profile');
  }
  const text = textStart(raw);
  if (text !== undefined) {
    fail(
      /^\s*</.test(text)
        ? `an HTML or XML page, not a pprof profile ("${text}"): is the URL a pprof endpoint such as …/debug/pprof?`
        : `text, not a pprof profile ("${text}")`
    );
  }
  let profile: Profile;
  try {
    profile = Profile.decode(raw);
  } catch (err) {
    return fail(`not a pprof profile: the protobuf does not decode (${(err as Error).message})`);
  }
  checkProfile(profile, fail);
  return profile;
}

/**
 * The first line of the data when its first 512 bytes are all printable text (tabs and line ends
 * included); a protobuf profile starts with small lengths and ids, control bytes, within a few bytes.
 */
function textStart(raw: Uint8Array): string | undefined {
  const head = raw.subarray(0, 512);
  for (const byte of head) {
    if (!(byte === 9 || byte === 10 || byte === 13 || (byte >= 0x20 && byte < 0x7f) || byte >= 0x80)) {
      return undefined;
    }
  }
  const firstLine = Buffer.from(head).toString('utf8').trim().split('\n')[0] ?? '';
  return firstLine.length > 80 ? `${firstLine.slice(0, 80)}…` : firstLine;
}

/** Follows every reference of the profile; `fail` throws. */
function checkProfile(p: Profile, fail: (detail: string, at?: string) => never): void {
  const strings = p.stringTable.strings;
  if (p.sampleType.length === 0) fail('no sample types: not a pprof profile (or an empty one)');
  if (strings[0] !== '') fail('the string table does not start with the empty string: not a pprof profile');
  const str = (at: string, ...indices: (number | bigint)[]) => {
    for (const index of indices) {
      const i = num(index);
      if (!(i >= 0 && i < strings.length)) {
        fail(`string index ${i} is out of range (the table has ${strings.length}): truncated or corrupt`, at);
      }
    }
  };
  p.sampleType.forEach((t, i) => str(`sample_type[${i}]`, t.type, t.unit));
  if (p.periodType) str('period_type', p.periodType.type, p.periodType.unit);
  str(
    'drop_frames, keep_frames, default_sample_type or doc_url',
    p.dropFrames,
    p.keepFrames,
    p.defaultSampleType,
    p.docUrl
  );
  str('comment', ...p.comment);

  const ids = (kind: string, items: { id: number | bigint }[]) => {
    const seen = new Set<number>();
    items.forEach((item, i) => {
      const id = num(item.id);
      if (id === 0 || seen.has(id))
        fail(id === 0 ? 'id 0: corrupt' : `id ${id} seen twice: corrupt`, `${kind}[${i}]`);
      seen.add(id);
    });
    return seen;
  };
  const mappings = ids('mapping', p.mapping);
  p.mapping.forEach((m, i) => str(`mapping[${i}]`, m.filename, m.buildId));
  const functions = ids('function', p.function);
  p.function.forEach((f, i) => str(`function[${i}]`, f.name, f.systemName, f.filename));
  const locations = ids('location', p.location);
  p.location.forEach((l, i) => {
    const mapping = num(l.mappingId);
    if (mapping !== 0 && !mappings.has(mapping)) {
      fail(`names mapping ${mapping}, which the profile lacks`, `location[${i}]`);
    }
    for (const line of l.line) {
      const fn = num(line.functionId);
      if (!functions.has(fn)) fail(`names function ${fn}, which the profile lacks`, `location[${i}]`);
    }
  });
  p.sample.forEach((s, i) => {
    const at = `sample[${i}]`;
    if (s.value.length !== p.sampleType.length) {
      fail(`${s.value.length} values for ${p.sampleType.length} sample types: truncated or corrupt`, at);
    }
    for (const id of s.locationId) {
      if (!locations.has(num(id))) fail(`names location ${num(id)}, which the profile lacks`, at);
    }
    for (const label of s.label) str(at, label.key, label.str, label.numUnit);
  });
}
