/** The ConfigError a config text is refused with (`perfgate.yml`, `env` for its substitutions); fails when it is accepted. */
import { parseConfig } from '../../src/config/load-config.js';
import { ConfigError } from '../../src/errors.js';

export function configErrorOf(text: string, env: Record<string, string | undefined> = {}): ConfigError {
  try {
    parseConfig(text, 'perfgate.yml', env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError, the config was accepted');
}
