/**
 * Every supported format (SPEC §4), in the order their names are listed in messages. A new format is
 * one file in this folder and one line here.
 */
import { autocannonImporter } from './autocannon.js';
import { benchmarkDotNetImporter } from './benchmarkdotnet.js';
import { benchmarkjsImporter } from './benchmarkjs.js';
import { catch2Importer } from './catch2.js';
import { criterionImporter } from './criterion.js';
import { genericBiggerImporter, genericSmallerImporter } from './generic.js';
import { goImporter } from './go.js';
import { googleBenchmarkImporter } from './google-benchmark.js';
import { hyperfineImporter } from './hyperfine.js';
import { jmhImporter } from './jmh.js';
import { k6Importer } from './k6.js';
import { libtestImporter } from './libtest.js';
import { pytestBenchmarkImporter } from './pytest-benchmark.js';
import type { Importer } from './types.js';

export const IMPORTERS: readonly Importer[] = [
  goImporter,
  libtestImporter,
  criterionImporter,
  googleBenchmarkImporter,
  catch2Importer,
  pytestBenchmarkImporter,
  jmhImporter,
  benchmarkDotNetImporter,
  benchmarkjsImporter,
  hyperfineImporter,
  autocannonImporter,
  k6Importer,
  genericSmallerImporter,
  genericBiggerImporter
];
