/**
 * The configuration stage: reads `perfgate.yml`, and either returns the `ResolvedConfig` every
 * later stage reads, or throws one `ConfigError` listing every problem with its place in the file.
 *
 * Steps: bytes to text (UTF-8 only) → YAML (syntax errors stop here: the structure cannot be
 * trusted) → environment substitution → schema → resolution (defaults, paths, cross-references) →
 * secrets and hash. No message shows a value substituted from the environment (secrets.ts).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError, formatIssue } from '../errors.js';
import { substituteEnv } from './env-substitution.js';
import { decodeConfig } from './file-encoding.js';
import { formatPath, fromZodIssues, placeIssues, syntaxIssues, type PathIssue } from './format-issues.js';
import { configHash } from './hash.js';
import { fallbackMessage } from './messages.js';
import { resolveConfig } from './resolve.js';
import { configSchema } from './schema.js';
import { configSecrets, protectIssues } from './secrets.js';
import type { ResolvedConfig } from './types.js';
import { YamlSource } from './yaml-positions.js';

/**
 * Reads and resolves the config file. `file` is used as given in messages (`perfgate.yml:3:1 …`)
 * and made absolute in the result. A missing or unreadable file is a `ConfigError` too.
 */
export async function loadConfig(
  file: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<ResolvedConfig> {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(file);
  } catch (err) {
    throw new ConfigError([
      { where: file, path: '', message: `expected a readable config file, got ${readFailure(err)}` }
    ]);
  }
  const decoded = decodeConfig(bytes);
  if (!decoded.ok) throw new ConfigError(syntaxIssues([decoded], file));
  return parseConfig(decoded.text, file, env);
}

/** Parses, validates and resolves config text; pure but for making `file` absolute. */
export function parseConfig(text: string, file: string, env: NodeJS.ProcessEnv): ResolvedConfig {
  const source = new YamlSource(text);
  if (source.syntaxIssues.length > 0) throw new ConfigError(syntaxIssues(source.syntaxIssues, file));

  const substituted = substituteEnv(source.value, env);
  const fail = (issues: PathIssue[]) =>
    new ConfigError(
      placeIssues(protectIssues(issues, substituted.substitutions, substituted.value), source, file)
    );
  const parsed = configSchema.safeParse(substituted.value, { error: fallbackMessage });
  // A value whose variable is unset fails the schema too; one message for it is enough.
  const unset = new Set(substituted.issues.map(i => formatPath(i.path)));
  const schemaIssues = parsed.success
    ? []
    : fromZodIssues(parsed.error.issues).filter(i => !unset.has(formatPath(i.path)));
  if (!parsed.success || substituted.issues.length > 0) throw fail([...substituted.issues, ...schemaIssues]);

  const absolute = path.resolve(file);
  const resolved = resolveConfig(parsed.data, absolute, {
    position: (p, at) => source.position(p, at),
    where: p => {
      const { line, col } = source.position(p);
      return `${file}:${line}:${col}`;
    }
  });
  if (resolved.issues.length > 0) throw fail(resolved.issues);

  const {
    secrets,
    substituted: hashed,
    warnings
  } = configSecrets(substituted.substitutions, parsed.data, substituted.value);
  return {
    ...resolved.config,
    secrets,
    warnings: placeIssues(warnings, source, file).map(formatIssue),
    hash: configHash(resolved.config, hashed)
  };
}

function readFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'a directory';
  if (code === 'EACCES') return 'a file without read permission';
  return err instanceof Error ? err.message : String(err);
}
