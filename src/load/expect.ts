/** What counts as a successful response of one request of the mix (SPEC §3, k6's defaults). */
import type { RequestSpec } from '../config/types.js';
import type { FailureKind } from './recorder.js';

/** True when `status` is expected: listed in `expectStatus`, or 200–399 when that list is empty. */
export function statusExpected(spec: Pick<RequestSpec, 'expectStatus'>, status: number): boolean {
  return spec.expectStatus.length === 0 ? status >= 200 && status <= 399 : spec.expectStatus.includes(status);
}

/**
 * `status` for an unexpected status, else `body` for a body other than `expectBody`, else null.
 * The body is only checked when it is known (`undefined`: not seen).
 */
export function responseFailure(
  spec: Pick<RequestSpec, 'expectStatus' | 'expectBody'>,
  status: number,
  body: string | undefined
): FailureKind | null {
  if (!statusExpected(spec, status)) return 'status';
  if (spec.expectBody !== undefined && body !== undefined && body !== spec.expectBody) return 'body';
  return null;
}
