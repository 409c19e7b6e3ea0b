/**
 * The bytes of a config file as text. YAML wants UTF-8 here (a UTF-8 byte order mark is fine); a
 * file saved as UTF-16 (Windows editors and PowerShell's `>` do that) or in a legacy 8-bit encoding
 * would otherwise surface as a baffling YAML error about its first odd character, so those say
 * plainly what the file is.
 */
import type { Position } from './yaml-positions.js';

/** A config file's text, or why its bytes are not UTF-8 text, and where. */
export type Decoded = { ok: true; text: string } | { ok: false; pos: Position; message: string };

const SAVE_AS = 'save it as UTF-8';

/** Byte order marks of encodings other than UTF-8, longest first (UTF-32 LE starts like UTF-16 LE). */
const BOMS: Array<[number[], string]> = [
  [[0xff, 0xfe, 0x00, 0x00], 'UTF-32 (little-endian, byte order mark FF FE 00 00)'],
  [[0x00, 0x00, 0xfe, 0xff], 'UTF-32 (big-endian, byte order mark 00 00 FE FF)'],
  [[0xff, 0xfe], 'UTF-16 (little-endian, byte order mark FF FE)'],
  [[0xfe, 0xff], 'UTF-16 (big-endian, byte order mark FE FF)']
];

const START: Position = { line: 1, col: 1 };

/** Decodes a config file, or says why it is not UTF-8 text and where. */
export function decodeConfig(bytes: Uint8Array): Decoded {
  for (const [bom, name] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b)) {
      return { ok: false, pos: START, message: `expected a UTF-8 file, got ${name}: ${SAVE_AS}` };
    }
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    // Text in UTF-16 without a byte order mark has a NUL beside nearly every ASCII character.
    const utf16 = bytes[0] === 0 || bytes[1] === 0;
    return utf16
      ? {
          ok: false,
          pos: START,
          message: `expected a UTF-8 file, got UTF-16 (NUL bytes between the characters): ${SAVE_AS}`
        }
      : {
          ok: false,
          pos: positionOf(bytes, nul),
          message: 'expected text, got a NUL byte (is this a binary file?)'
        };
  }
  try {
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    const byte = (bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      pos: positionOf(bytes, at),
      message: `expected UTF-8 text, got the byte 0x${byte}, which UTF-8 does not allow here (a file in Latin-1 or Windows-1252?): ${SAVE_AS}`
    };
  }
}

/** Line and column (in characters, as the YAML positions count them) of byte `offset`. */
function positionOf(bytes: Uint8Array, offset: number): Position {
  const before = bytes.subarray(0, offset);
  const lineStart = before.lastIndexOf(0x0a) + 1;
  const line = before.filter(b => b === 0x0a).length + 1;
  const col = new TextDecoder().decode(bytes.subarray(lineStart, offset)).length + 1;
  return { line, col };
}

/** Bytes in the UTF-8 sequence a lead byte starts; 0 for a byte no sequence starts with. */
function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Narrower ranges of the second byte: they exclude overlong forms, surrogates and code points above U+10FFFF. */
const SECOND_BYTE: Record<number, [number, number]> = {
  0xe0: [0xa0, 0xbf],
  0xed: [0x80, 0x9f],
  0xf0: [0x90, 0xbf],
  0xf4: [0x80, 0x8f]
};

/** Offset of the first byte that does not belong to a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const length = lead < 0x80 ? 1 : sequenceLength(lead);
    if (length === 0) return i;
    const [lo, hi] = SECOND_BYTE[lead] ?? [0x80, 0xbf];
    if (length > 1 && !((bytes[i + 1] ?? 0) >= lo && (bytes[i + 1] ?? 0) <= hi)) return i;
    for (let k = 2; k < length; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += length;
  }
  return Math.max(0, bytes.length - 1);
}
