/**
 * What a frame of a profile is (model-profiling.ts `ProfileFrame`): the key frames are merged by,
 * the runtime's internals, and how the same function is found on the two sides of a paired run.
 */
import type { ProfileFrame } from '../model-profiling.js';

/** The runtime's frame for time the process spent waiting (Node's inspector names it so). */
export const IDLE = '(idle)';

/** The name of every tree's root frame. */
export const ROOT = '(root)';

/** The key a frame is merged by: name, file and line. */
export function frameKey(frame: ProfileFrame): string {
  return `${frame.name}\u0000${frame.file}\u0000${frame.line}`;
}

/**
 * A runtime internal: a parenthesised name without a file — `(garbage collector)`, `(idle)`,
 * `(program)`, `(root)` — drawn and listed as such.
 */
export function isRuntimeInternal(frame: { name: string; file: string }): boolean {
  return frame.file === '' && frame.name.startsWith('(') && frame.name.endsWith(')');
}

/** `(idle)` as the runtime names it (no file). */
export function isIdle(frame: { name: string; file: string }): boolean {
  return frame.name === IDLE && frame.file === '';
}

/** The file's last path segment (`server.js` of `file:///work/base/app/server.js`). */
function fileName(file: string): string {
  return file.slice(file.lastIndexOf('/') + 1);
}

/**
 * The same functions (or call-tree nodes) on two sides, paired: by name, file and line first; of
 * those left, by name, file name and line, then by name and file name — each only where the key is
 * unique on both sides — and last, where both sides have as many functions of one name in one file
 * (anonymous ones), in line order. The base of a paired run runs from another checkout (other
 * paths), and an edit above a function moves its line; a function that moved is still one
 * function. Unpaired ones come alone (only on one side).
 */
export function matchFrames<T>(
  base: readonly T[],
  head: readonly T[],
  frameOf: (x: T) => ProfileFrame
): Array<{ base?: T; head?: T }> {
  const keys: Array<(f: ProfileFrame) => string> = [
    frameKey,
    f => `${f.name}\u0000${fileName(f.file)}\u0000${f.line}`,
    f => `${f.name}\u0000${fileName(f.file)}`
  ];
  const pairs: Array<{ base?: T; head?: T }> = [];
  let restBase = [...base];
  let restHead = [...head];
  for (const key of keys) {
    if (restBase.length === 0 || restHead.length === 0) break;
    const group = (xs: T[]) => {
      const m = new Map<string, T[]>();
      for (const x of xs) {
        const k = key(frameOf(x));
        const list = m.get(k);
        if (list) list.push(x);
        else m.set(k, [x]);
      }
      return m;
    };
    const byBase = group(restBase);
    const paired = new Set<T>();
    for (const [k, hs] of group(restHead)) {
      const bs = byBase.get(k);
      if (bs?.length !== 1 || hs.length !== 1) continue;
      pairs.push({ base: bs[0]!, head: hs[0]! });
      paired.add(bs[0]!).add(hs[0]!);
    }
    restBase = restBase.filter(x => !paired.has(x));
    restHead = restHead.filter(x => !paired.has(x));
  }
  // Last: as many functions of one name in one file on both sides (anonymous ones), in line order.
  const byLine = (xs: T[]) => {
    const m = new Map<string, T[]>();
    for (const x of xs) {
      const f = frameOf(x);
      const k = `${f.name}\u0000${fileName(f.file)}`;
      m.set(k, [...(m.get(k) ?? []), x]);
    }
    for (const list of m.values()) list.sort((a, b) => frameOf(a).line - frameOf(b).line);
    return m;
  };
  const baseByName = byLine(restBase);
  for (const [k, hs] of byLine(restHead)) {
    const bs = baseByName.get(k);
    if (bs?.length === hs.length) {
      hs.forEach((h, i) => pairs.push({ base: bs[i]!, head: h }));
      baseByName.delete(k);
    } else for (const h of hs) pairs.push({ head: h });
  }
  for (const bs of baseByName.values()) for (const b of bs) pairs.push({ base: b });
  return pairs;
}
