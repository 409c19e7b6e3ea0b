/**
 * pprof profiles (Go's `net/http/pprof`, and any service that speaks the format) as perfgate's call
 * tree, and several per-trial profiles as one `.pb.gz` artifact that `go tool pprof` opens as it is.
 * Decoding and encoding are DataDog's `pprof-format` (profiling/pprof-read.ts checks what it decodes).
 *
 * pprof keeps a stack leaf first, as location ids, and a location holds one line per function
 * inlined at that address, the innermost first and the function the code was compiled into last;
 * every line is a frame of its own here, as `go tool pprof` shows them. A frame is the function's
 * name, file and start line (`Function.start_line`, which Go writes from 1.20 on: 0 — unknown — in
 * profiles of older Go), so every sample of one function lands on one node whatever line it was on.
 */
import { gzipSync } from 'node:zlib';
import {
  Function as PprofFunction,
  Line,
  Location,
  Mapping,
  Profile,
  Sample,
  StringTable,
  ValueType,
  type Label
} from 'pprof-format';
import { ImportError } from '../errors.js';
import type { ProfileFrame } from '../model-profiling.js';
import { addStack, emptyTree, type CallTree } from './call-tree.js';
import { num, readPprof } from './pprof-read.js';

/** pprof's unit names as perfgate writes them (`CallTree.unit`); others are kept as they are. */
const UNITS: Record<string, string> = {
  nanoseconds: 'ns',
  microseconds: 'us',
  milliseconds: 'ms',
  bytes: 'bytes'
};
/** Units a CPU profile's values may be in: time, or a count of samples. */
const CPU_UNITS = new Set(['nanoseconds', 'microseconds', 'milliseconds', 'seconds', 'count']);

/** Which of a sample's values the tree takes, which one counts its samples (if any), and the unit. */
interface Chosen {
  value: number;
  count?: number;
  unit: string;
}

/**
 * The sample type a kind of profile is read by. CPU: `cpu`/`nanoseconds` (Go's), else the last
 * sample type when it measures time or counts samples (other profilers' CPU profiles); samples
 * counted by `samples`/`count`. Heap: `inuse_space` (live bytes when the profile was taken), else
 * `alloc_space`; every stack record with bytes counts as one sample (pprof's object counts are
 * estimates scaled up from the sampled allocations, not samples).
 */
function chooseSampleType(p: Profile, kind: 'cpu' | 'heap', file: string): Chosen {
  const strings = p.stringTable.strings;
  const types = p.sampleType.map(t => ({
    type: strings[num(t.type)] ?? '',
    unit: strings[num(t.unit)] ?? ''
  }));
  const find = (type: string, unit: string) => types.findIndex(t => t.type === type && t.unit === unit);
  const listed = types.map(t => `${t.type}/${t.unit}`).join(', ');
  if (kind === 'cpu') {
    let value = find('cpu', 'nanoseconds');
    if (value < 0 && CPU_UNITS.has(types.at(-1)!.unit)) value = types.length - 1;
    if (value < 0) {
      throw new ImportError(file, '', 'pprof', `no CPU sample type (it has ${listed}): not a CPU profile`);
    }
    const count = find('samples', 'count');
    return {
      value,
      count: count >= 0 && count !== value ? count : undefined,
      unit: unitOf(types[value]!.unit)
    };
  }
  const value = [find('inuse_space', 'bytes'), find('alloc_space', 'bytes')].find(i => i >= 0);
  if (value === undefined) {
    throw new ImportError(
      file,
      '',
      'pprof',
      `no inuse_space or alloc_space sample type (it has ${listed}): not a heap profile`
    );
  }
  return { value, unit: 'bytes' };
}

const unitOf = (unit: string) => UNITS[unit] ?? unit;

/**
 * The call tree of a pprof profile (gzipped or raw protobuf): CPU in `ns` (from Go's `cpu` samples),
 * heap in `bytes` (`inuse_space`). Samples whose chosen value is 0 (a heap profile's stacks whose
 * memory was all freed) are left out. Throws `ImportError` naming `file` for an empty, truncated or
 * non-pprof input, and for a profile without the sample type.
 */
export function pprofTree(data: Uint8Array, file: string, kind: 'cpu' | 'heap'): CallTree {
  const p = readPprof(data, file);
  const chosen = chooseSampleType(p, kind, file);
  const strings = p.stringTable.strings;
  const functions = new Map(p.function.map(f => [num(f.id), f]));
  const mappings = new Map(p.mapping.map(m => [num(m.id), m]));
  const framesOf = new Map<number, ProfileFrame[]>();
  for (const location of p.location) {
    const frames = location.line.map(line => {
      const fn = functions.get(num(line.functionId))!;
      return {
        name: strings[num(fn.name)] || '(unknown)',
        file: strings[num(fn.filename)]!,
        line: num(fn.startLine)
      };
    });
    if (frames.length === 0) {
      // Not symbolised: pprof shows the address, and the binary it is in.
      const mapping = mappings.get(num(location.mappingId));
      const binary = mapping ? strings[num(mapping.filename)]! : '';
      frames.push({
        name: `0x${BigInt.asUintN(64, BigInt(location.address)).toString(16)}`,
        file: binary,
        line: 0
      });
    }
    framesOf.set(num(location.id), frames);
  }

  const tree = emptyTree(chosen.unit);
  for (const sample of p.sample) {
    const value = num(sample.value[chosen.value]!);
    if (value === 0) continue;
    const leafFirst = sample.locationId.flatMap(id => framesOf.get(num(id))!);
    const samples = chosen.count === undefined ? 1 : num(sample.value[chosen.count]!);
    addStack(tree, leafFirst.reverse(), value, samples);
  }
  return tree;
}

/**
 * Several profiles of one kind (a profile per measured trial) as one gzipped pprof profile: strings,
 * functions, mappings and locations merged into one table each (equal ones once, ids renumbered from
 * 1), samples concatenated, durations summed, the start time of the first. `go tool pprof` and
 * every pprof viewer open it. Throws `ImportError` naming `file` when an input does not read (see
 * `pprofTree`), when there is none, or when their sample types differ.
 */
export function mergePprof(datas: Uint8Array[], file: string): Uint8Array {
  if (datas.length === 0) throw new ImportError(file, '', 'pprof', 'no profiles to merge');
  const profiles = datas.map((data, i) => readPprof(data, file, `profile ${i + 1} of ${datas.length}`));
  const strings = new StringTable();
  const signature = (p: Profile) =>
    p.sampleType
      .map(t => `${p.stringTable.strings[num(t.type)]}/${p.stringTable.strings[num(t.unit)]}`)
      .join(', ');
  const first = profiles[0]!;
  const merged = new Profile({ stringTable: strings, timeNanos: first.timeNanos, period: first.period });
  let duration = 0n;
  const functions = new Map<string, PprofFunction>();
  const mappings = new Map<string, Mapping>();
  const locations = new Map<string, Location>();

  profiles.forEach((p, i) => {
    if (signature(p) !== signature(first)) {
      throw new ImportError(
        file,
        `profile ${i + 1} of ${profiles.length}`,
        'pprof',
        `its sample types (${signature(p)}) differ from the first profile's (${signature(first)}): profiles of different kinds do not merge`
      );
    }
    const s = (index: number | bigint) => strings.dedup(p.stringTable.strings[num(index)]!);
    if (i === 0) {
      merged.sampleType = p.sampleType.map(t => new ValueType({ type: s(t.type), unit: s(t.unit) }));
      if (p.periodType)
        merged.periodType = new ValueType({ type: s(p.periodType.type), unit: s(p.periodType.unit) });
      merged.defaultSampleType = s(p.defaultSampleType);
      merged.dropFrames = s(p.dropFrames);
      merged.keepFrames = s(p.keepFrames);
      merged.docUrl = s(p.docUrl);
    }
    merged.comment.push(...p.comment.map(s));
    duration += BigInt(p.durationNanos);

    const functionIds = new Map<number, number>();
    for (const f of p.function) {
      const fields = {
        name: s(f.name),
        systemName: s(f.systemName),
        filename: s(f.filename),
        startLine: f.startLine
      };
      functionIds.set(
        num(f.id),
        intern(functions, fields, id => new PprofFunction({ id, ...fields }))
      );
    }
    const mappingIds = new Map<number, number>();
    for (const m of p.mapping) {
      const fields = { ...m, filename: s(m.filename), buildId: s(m.buildId) };
      mappingIds.set(
        num(m.id),
        intern(mappings, { ...fields, id: 0 }, id => new Mapping({ ...fields, id }))
      );
    }
    const locationIds = new Map<number, number>();
    for (const l of p.location) {
      const fields = {
        mappingId: mappingIds.get(num(l.mappingId)) ?? 0,
        address: l.address,
        isFolded: l.isFolded,
        line: l.line.map(
          x => new Line({ functionId: functionIds.get(num(x.functionId))!, line: x.line, column: x.column })
        )
      };
      locationIds.set(
        num(l.id),
        intern(locations, fields, id => new Location({ ...fields, id }))
      );
    }
    for (const sample of p.sample) {
      merged.sample.push(
        new Sample({
          locationId: sample.locationId.map(id => locationIds.get(num(id))!),
          value: sample.value,
          label: sample.label.map((label: Label) => ({
            key: s(label.key),
            str: s(label.str),
            num: label.num,
            numUnit: s(label.numUnit)
          }))
        })
      );
    }
  });
  merged.durationNanos = duration;
  merged.function = [...functions.values()];
  merged.mapping = [...mappings.values()];
  merged.location = [...locations.values()];
  return gzipSync(merged.encode());
}

/**
 * The id of the entry equal to `fields` in `table` (keyed by their JSON, ids excluded), made with
 * the next id (1, 2, …) when there is none.
 */
function intern<T>(table: Map<string, T>, fields: object, make: (id: number) => T): number {
  // Numbers as strings: the decoder gives a bigint or a number for one value depending on its size.
  const key = JSON.stringify(fields, (_k, v: unknown) =>
    typeof v === 'bigint' || typeof v === 'number' ? String(v) : v
  );
  let entry = table.get(key);
  if (entry === undefined) {
    entry = make(table.size + 1);
    table.set(key, entry);
  }
  return (entry as { id: number }).id;
}
