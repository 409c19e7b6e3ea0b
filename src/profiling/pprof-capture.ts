/**
 * Profiles of a pprof endpoint (Go's `net/http/pprof`, or any service that serves the format) over
 * the measured windows (SPEC §11), one capture per kind:
 *
 * - CPU: `GET {url}/profile?seconds=N` is sent as a window begins, N its planned duration rounded up
 *   to whole seconds, and runs beside the trial's load (the endpoint answers when its N seconds are
 *   over); the window's end awaits the body. One profile per trial, merged into one `.pb.gz` — Go
 *   profiles one CPU profile at a time, and the time between trials (warmup, the other side's
 *   trials) stays out of it.
 * - Heap: `GET {url}/heap?gc=1` after each window (`gc=1`: Go collects first, so `inuse_space` is what
 *   is live right then, not as of the last collection). `inuse_space` is a snapshot, not a rate:
 *   summing snapshots would count the same live objects once per trial, so the last snapshot taken
 *   — after the last window — is the artifact and the tree. Taking one per window still tells a
 *   broken endpoint at the first trial, and keeps an earlier snapshot if a later one fails.
 *
 * The endpoint's faults — a refused connection, a 404, an HTML page, a hang, a cut body, a body that
 * is not a profile — are warned about (once per capture and kind of fault, naming the URL) and mark
 * the window missing; nothing here throws for them, and the run goes on.
 */
import { ImportError } from '../errors.js';
import { maskUrlPasswords } from '../secret-masking.js';
import { mergeTrees, type CallTree } from './call-tree.js';
import { fetchProfile, type Fetch, type Fetched } from './pprof-fetch.js';
import { mergePprof, pprofTree } from './pprof-profile.js';
import type { CaptureOutcome, CaptureWindow, ProfileCapture } from './types.js';

export interface PprofCaptureOptions {
  /** The pprof root, e.g. `http://127.0.0.1:6060/debug/pprof` (`/profile` and `/heap` are appended). */
  url: string;
  side: 'head' | 'base';
  cpu: boolean;
  heap: boolean;
  /** How long an answer may take beyond the time the endpoint needs (N s for a CPU profile), ms. */
  timeoutMs: number;
  warn: (message: string) => void;
}

/** The captures `opts` asks for: CPU first, then heap. */
export function pprofCaptures(opts: PprofCaptureOptions): ProfileCapture[] {
  const root = opts.url.replace(/\/+$/, '');
  return [
    ...(opts.cpu ? [new PprofCapture('cpu', root, opts)] : []),
    ...(opts.heap ? [new PprofCapture('heap', root, opts)] : [])
  ];
}

/** The seconds a CPU profile of a window is asked for: its duration rounded up, at least 1. */
function profileSeconds(window: CaptureWindow): number {
  return Math.max(1, Math.ceil(window.durationMs / 1000));
}

class PprofCapture implements ProfileCapture {
  readonly source = 'pprof' as const;
  private inFlight = new Map<number, Fetch>();
  /** Per window captured since the last take: its bytes and tree, or why it is missing. */
  private windows: { window: CaptureWindow; data?: Uint8Array; tree?: CallTree; why?: string }[] = [];
  private warned = new Set<string>();
  private closed = false;

  constructor(
    readonly kind: 'cpu' | 'heap',
    private readonly root: string,
    private readonly opts: PprofCaptureOptions
  ) {}

  async begin(window: CaptureWindow): Promise<void> {
    if (this.kind !== 'cpu' || this.closed) return;
    const seconds = profileSeconds(window);
    const f = fetchProfile(`${this.root}/profile?seconds=${seconds}`, seconds * 1000 + this.opts.timeoutMs);
    this.inFlight.get(window.trial)?.abort();
    this.inFlight.set(window.trial, f);
    // The load starts once the endpoint has the request (it profiles from then on) — or, when the
    // request cannot even be sent in time, without it (its end then tells why).
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([f.sent, new Promise(resolve => (timer = setTimeout(resolve, this.opts.timeoutMs)))]);
    clearTimeout(timer);
  }

  async end(window: CaptureWindow): Promise<void> {
    if (this.closed) return;
    let url: string;
    let fetched: Fetched;
    if (this.kind === 'cpu') {
      const f = this.inFlight.get(window.trial);
      if (!f) return;
      this.inFlight.delete(window.trial);
      url = `${this.root}/profile?seconds=${profileSeconds(window)}`;
      fetched = await f.done;
    } else {
      url = `${this.root}/heap?gc=1`;
      fetched = await fetchProfile(url, this.opts.timeoutMs).done;
    }
    if (this.closed) return;
    if ('data' in fetched) {
      try {
        this.windows.push({ window, data: fetched.data, tree: pprofTree(fetched.data, url, this.kind) });
        return;
      } catch (err) {
        // The URL is named once, by the warning.
        const why =
          err instanceof ImportError ? [err.where, err.detail].filter(Boolean).join(': ') : String(err);
        fetched = { why };
      }
    }
    this.windows.push({ window, why: fetched.why });
    this.warnOnce(window, url, fetched.why);
  }

  async take(profile: string): Promise<CaptureOutcome> {
    const windows = this.windows.filter(w => w.window.profile === profile);
    this.windows = this.windows.filter(w => w.window.profile !== profile);
    const captured = windows.filter(w => w.data !== undefined);
    const outcome: CaptureOutcome = { kind: this.kind, source: 'pprof', windows: 0, windowMs: 0 };
    if (windows.length === 0) return { ...outcome, missing: 'no measured trial was profiled' };
    // The missing windows by reason: `trials 2, 5: 404 Not Found` (trials counted from 1).
    const byWhy = new Map<string, number[]>();
    for (const { why, window } of windows) {
      if (why !== undefined) byWhy.set(why, [...(byWhy.get(why) ?? []), window.trial + 1]);
    }
    const notes = [...byWhy].map(
      ([why, trials]) => `trial${trials.length > 1 ? 's' : ''} ${trials.join(', ')}: ${why}`
    );
    if (captured.length === 0) return { ...outcome, missing: notes.join('; ') };

    // Heap: the last snapshot (see the header); CPU: every window's profile.
    const used = this.kind === 'heap' ? captured.slice(-1) : captured;
    outcome.windows = captured.length;
    outcome.windowMs = captured.reduce((sum, w) => sum + w.window.durationMs, 0);
    outcome.tree = used.length === 1 ? used[0]!.tree : mergeTrees(used.map(w => w.tree!));
    if (this.kind === 'heap' && captured.at(-1) !== windows.at(-1)) {
      notes.push(`the heap snapshot is the one after trial ${captured.at(-1)!.window.trial + 1}`);
    }
    try {
      outcome.artifact = {
        data: mergePprof(
          used.map(w => w.data!),
          `${profile}.${this.opts.side}.pb.gz`
        ),
        extension: '.pb.gz'
      };
    } catch (err) {
      notes.push(`no artifact: ${(err as Error).message}`);
      this.opts.warn(
        `pprof ${this.kind} profile of the ${this.opts.side} (profile "${profile}"): ${(err as Error).message}`
      );
    }
    if (notes.length > 0) outcome.missing = notes.join('; ');
    return outcome;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const f of this.inFlight.values()) f.abort();
    this.inFlight.clear();
  }

  private warnOnce(window: CaptureWindow, url: string, why: string): void {
    if (this.warned.has(why)) return;
    this.warned.add(why);
    this.opts.warn(
      `pprof ${this.kind === 'cpu' ? 'CPU' : 'heap'} profile of the ${this.opts.side} ` +
        `(profile "${window.profile}", trial ${window.trial + 1}): GET ${maskUrlPasswords(url)}: ${why}; ` +
        'the run goes on without it'
    );
  }
}
