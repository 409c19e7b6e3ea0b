/**
 * The inspector's `Runtime.CallFrame` (both of Node's profile formats name functions by it) and the
 * frame perfgate keys functions by: name, file and the 1-based line of the function's start.
 */
import type { ProfileFrame } from '../model-profiling.js';
import { isRuntimeInternal } from './frames.js';
import type { JsonReader, Path } from './profile-json.js';

/** A function as V8's profilers name it (devtools-protocol `Runtime.CallFrame`). */
export interface CallFrame {
  /** Empty for an anonymous function; `(root)`, `(program)`, `(idle)`, `(garbage collector)` for V8's own. */
  functionName: string;
  scriptId: string;
  /** Script URL (`file:///app/server.js`, `node:internal/…`); empty for natives and internals. */
  url: string;
  /** 0-based line of the function's start; -1 when unknown. */
  lineNumber: number;
  /** 0-based column; -1 when unknown. */
  columnNumber: number;
  /** Present in newer V8s' CPU profiles (`JS`, `other`). */
  codeType?: string;
}

/** The frame of a call frame: an anonymous function named `(anonymous)`, the line made 1-based. */
export function frameOf(cf: CallFrame): ProfileFrame {
  const name = cf.functionName || '(anonymous)';
  const file = cf.url;
  const line = isRuntimeInternal({ name, file }) || cf.lineNumber < 0 ? 0 : cf.lineNumber + 1;
  return { name, file, line };
}

/** The key call frames are merged by in a native profile (its position as well as its name). */
export function callFrameKey(cf: CallFrame): string {
  return `${cf.functionName}\u0000${cf.url}\u0000${cf.lineNumber}\u0000${cf.columnNumber}\u0000${cf.scriptId}`;
}

/** A call frame read at `path` (`scriptId` may be a number in older files, and is read as text). */
export function readCallFrame(r: JsonReader, value: unknown, path: Path): CallFrame {
  const o = r.object(value, path);
  const scriptId = o.scriptId ?? '';
  const cf: CallFrame = {
    functionName: r.string(o.functionName, [...path, 'functionName']),
    scriptId: typeof scriptId === 'number' ? String(scriptId) : r.string(scriptId, [...path, 'scriptId']),
    url: r.string(o.url ?? '', [...path, 'url']),
    lineNumber: r.integer(o.lineNumber ?? -1, [...path, 'lineNumber']),
    columnNumber: r.integer(o.columnNumber ?? -1, [...path, 'columnNumber'])
  };
  if (o.codeType !== undefined) cf.codeType = r.string(o.codeType, [...path, 'codeType']);
  return cf;
}
