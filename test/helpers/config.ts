import { ConfigError, loadConfig } from '../../src/config.js';

/** The problems `loadConfig` reports for `env`; fails the test when it reports none. */
export function problemsOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** The security settings `NODE_ENV=production` makes, exactly as `loadConfig` derives them. */
export const productionSecurity = () =>
  loadConfig({ NODE_ENV: 'production', APPSTREAM_UPSTREAM: 'aws', ALLOW_UNAUTHENTICATED: 'true' })
    .security;
