/**
 * The `imports:` of a config read before anything runs (SPEC §4): each head file, and its base file
 * when the config names one, through the importer of its format (named, else detected). A file that
 * cannot be read is an ImportError (exit 2) naming it, with the config's place for a missing one.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { ImportConfig } from '../config/types.js';
import { ImportError } from '../errors.js';
import { importFile } from '../importers/read-import.js';
import type { Importer, ImportedFile } from '../importers/types.js';

export interface ReadImport {
  config: ImportConfig;
  head: ImportedFile;
  base?: ImportedFile;
  /** The files as the report names them: relative to the config's directory. */
  paths: { head: string; base?: string };
}

export function readImports(
  configs: readonly ImportConfig[],
  importers: readonly Importer[],
  configFile: string
): ReadImport[] {
  const dir = path.dirname(configFile);
  const shown = (file: string) => path.relative(dir, file) || file;
  return configs.map(config => {
    const read = (file: string, where: string, format?: string) => {
      if (!existsSync(file)) {
        throw new ImportError(
          shown(file),
          '',
          format ?? '',
          `no such file (imports "${config.name}", ${where})`
        );
      }
      try {
        return importFile(file, importers, format);
      } catch (err) {
        // Name the file as the config does, not by its absolute path.
        if (err instanceof ImportError && err.file === file) {
          throw new ImportError(shown(file), err.where, err.format, err.detail);
        }
        throw err;
      }
    };
    const head = read(config.path, config.pathWhere, config.format);
    const base = config.base && read(config.base.path, config.base.where, config.format ?? head.format);
    if (base && base.format !== head.format) {
      throw new ImportError(
        shown(config.base!.path),
        '',
        base.format,
        `the base is ${base.format} output but the head (${shown(config.path)}) is ${head.format}; name the format with format:`
      );
    }
    return {
      config,
      head,
      ...(base && { base }),
      paths: { head: shown(config.path), ...(config.base && { base: shown(config.base.path) }) }
    };
  });
}
