#!/usr/bin/env python3
"""Reference values for perfgate's per-trial tail estimators (src/stats/harrell-davis.ts,
src/stats/tail-mean.ts).

Run from the repository root:  python3 scripts/hd-fixtures.py
Writes test/fixtures/stats/tail-estimators.json and prints a one-line summary. The data come from
a seeded NumPy generator, so the output only changes when this script, NumPy or SciPy changes.

Data are response times in integer microseconds, as perfgate records them. Each case stores its
sample grouped as [value, count] pairs (the raw sample is np.repeat(values, counts)), so cases of a
million values stay small; `exact` says whether every value is below 2048 us, where an HDR bucket
of perfgate's histogram (3 significant digits) is one microsecond wide and a histogram estimate
must equal the raw one. Above, a bucket is at most 0.1 % of its value wide and the tests allow that.

Where the values come from (per case, two reference values per quantile q):
- harrellDavis        scipy.stats.mstats.hdquantiles(raw, prob=qs) on the raw sample (SciPy's
                      Beta((n+1)q, (n+1)(1-q)) weights of the order statistics). One deliberate
                      difference: SciPy returns NaN for n < 2; perfgate returns the one value (all
                      the Beta's mass is on it). The fixture records SciPy's value (null) and the
                      test expects the value.
- tailMean            SciPy has no tail mean, so it is computed here with NumPy on the sorted raw
                      sample, independently of src/stats/tail-mean.ts: the mean of the top
                      m = max(n (1 - q), 1) order statistics, the lowest of them counted by the
                      fraction m - floor(m) when m is not whole (the expected shortfall of the
                      empirical distribution; the largest value when fewer than one value is left).
"""
import numpy as np
from scipy.stats.mstats import hdquantiles

from fixture_common import num, write

SEED = 20250615
COMMAND = 'python3 scripts/hd-fixtures.py'
QS = [0.5, 0.9, 0.95, 0.99, 0.999]


def grouped(raw):
    values, counts = np.unique(raw, return_counts=True)
    return [[int(v), int(c)] for v, c in zip(values, counts)]


def lognormal_us(rng, n, median_us, sigma, digits=None):
    """Integer microseconds >= 1 from a lognormal; optionally rounded to `digits` significant digits
    so that a large sample has few distinct values (the fixture stays small)."""
    x = median_us * np.exp(sigma * rng.standard_normal(n))
    if digits is not None:
        mag = 10.0 ** (np.floor(np.log10(x)) - (digits - 1))
        x = np.round(x / mag) * mag
    return np.maximum(np.round(x), 1).astype(np.int64)


def tail_mean(raw, q):
    s = np.sort(raw).astype(float)
    n = s.size
    m = max(n * (1 - q), 1.0)
    whole = int(np.floor(m))
    frac = m - whole
    top = s[n - whole:].sum() if whole > 0 else 0.0
    if frac > 0:
        top += frac * s[n - whole - 1]
    return top / m


def samples(rng):
    out = []
    # Small samples, values across the 2.048 ms bucket boundary (within 0.1 % above it).
    for n in [1, 2, 3, 5, 10, 20, 50, 200, 1000]:
        raw = lognormal_us(rng, n, 1500, 0.6)
        out.append((f'lognormal n={n}', raw))
    # Small samples entirely in the exact range (one-microsecond buckets).
    for n in [7, 40, 300]:
        raw = np.minimum(lognormal_us(rng, n, 500, 0.5), 2047)
        out.append((f'exact-range n={n}', raw))
    # Heavy ties: a few distinct values.
    out.append(('ties n=60', rng.choice([100, 200, 300, 5000], size=60, p=[0.5, 0.3, 0.15, 0.05])))
    # A long tail: a 2 % of requests a hundred times slower (a GC pause, a noisy neighbour).
    base = lognormal_us(rng, 2000, 800, 0.3)
    slow = lognormal_us(rng, 40, 80_000, 0.2)
    out.append(('bimodal n=2040', np.concatenate([base, slow])))
    # Millions of requests: the Beta is very concentrated around q n.
    out.append(('exact-range n=2000000', np.minimum(lognormal_us(rng, 2_000_000, 400, 0.5), 2047)))
    out.append(('lognormal 3 digits n=500000', lognormal_us(rng, 500_000, 3000, 0.7, digits=3)))
    return out


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    for name, raw in samples(rng):
        raw = np.asarray(raw, dtype=np.int64)
        # hdquantiles masks its NaN (n < 2); fill it back so that it is written as null.
        hd = np.ma.filled(hdquantiles(raw.astype(float), prob=QS), np.nan)
        cases.append({
            'name': name,
            'n': int(raw.size),
            'exact': bool(raw.max() < 2048),
            'values': grouped(raw),
            'q': QS,
            'harrellDavis': [num(v) for v in hd],
            'tailMean': [float(tail_mean(raw, q)) for q in QS],
        })
    print(write('tail-estimators.json', cases,
                'harrellDavis: scipy.stats.mstats.hdquantiles(raw, prob=q), null where SciPy gives '
                'NaN (n < 2); tailMean: NumPy, the mean of the top max(n(1-q), 1) order statistics, '
                'the boundary one by its fraction. Values in integer microseconds, grouped as '
                '[value, count].', COMMAND, SEED))


if __name__ == '__main__':
    main()
