/**
 * Whose comments perfgate may touch: the login of the token's own user.
 *
 * `GET /user` answers for a personal access token, but an installation token (the Actions
 * `GITHUB_TOKEN`, or a GitHub App token) gets 403 "Resource not accessible by integration". The
 * GraphQL `viewer { login }` query answers for both (`github-actions[bot]` for `GITHUB_TOKEN`,
 * `<app-slug>[bot]` for an App token); marocchino/sticky-pull-request-comment finds its own comments
 * through `viewer` the same way. If that fails too, the login of `GITHUB_TOKEN` is assumed: a wrong
 * guess can only make perfgate miss its comment and write a new one, never touch another's.
 */
import { logInfo } from './action-log.js';
import { classifyFailure, errorMessage, type GitHubClient } from './api.js';

/** The user behind the Actions `GITHUB_TOKEN`, as REST reports comment authors. */
export const ACTIONS_BOT_LOGIN = 'github-actions[bot]';

export interface TokenUser {
  login: string;
  /** How it was found: `GET /user`, the GraphQL viewer, or assumed. */
  source: 'rest' | 'graphql' | 'assumed';
}

/** The token's user; throws only when GitHub cannot be used at all (bad credentials, outage). */
export async function tokenUser(api: GitHubClient): Promise<TokenUser> {
  try {
    const { data } = await api.rest.users.getAuthenticated();
    return { login: data.login, source: 'rest' };
  } catch (err) {
    const { kind, status } = classifyFailure(err);
    if (kind !== 'forbidden' && status !== 404) throw err;
  }
  try {
    const data = await api.graphql<{ viewer?: { login?: string } }>('query { viewer { login } }', {
      request: { idempotent: true }
    });
    if (data.viewer?.login) return { login: data.viewer.login, source: 'graphql' };
  } catch (err) {
    logInfo(`GraphQL viewer query failed: ${errorMessage(err)}`);
  }
  logInfo(`could not determine the token's user; assuming ${ACTIONS_BOT_LOGIN} (the GITHUB_TOKEN's user)`);
  return { login: ACTIONS_BOT_LOGIN, source: 'assumed' };
}

/** GitHub logins are case-insensitive. */
export function sameLogin(a: string | undefined, b: string): boolean {
  return a !== undefined && a.toLowerCase() === b.toLowerCase();
}
