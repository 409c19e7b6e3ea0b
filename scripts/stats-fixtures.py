#!/usr/bin/env python3
"""Reference values for perfgate's statistics (src/stats) from SciPy.

Run from the repository root:  python3 scripts/stats-fixtures.py
Writes test/fixtures/stats/*.json and prints a one-line summary (case counts per file). The data come from a
seeded NumPy generator, so the output only changes when this script or SciPy changes.

Where the values come from:
- wilcoxon.json       scipy.stats.wilcoxon(d, alternative=...) with its defaults (zero_method='wilcox',
                      correction=False, method='auto'). The script also re-derives which branch
                      'auto' took (see wilcoxon_method) and asserts that the explicit method gives
                      the same p-value, so the recorded method label is SciPy's, not ours.
                      One deliberate difference: when every d is 0 SciPy returns NaN past 13
                      values; the fixture records perfgate's p = 1 (method 'exact') and keeps
                      SciPy's value in scipyPValue (null).
- mann-whitney.json   scipy.stats.mannwhitneyu(x, y, alternative=..., method='auto'),
                      use_continuity=True; branch label checked the same way.
- hodges-lehmann.json / hodges-lehmann-shift.json
                      SciPy has no Hodges-Lehmann interval, so it is built independently of the
                      order-statistic formula used in src/stats: by brute-force test inversion.
                      The interval is the closure of the set of shifts theta whose p-value
                      (wilcoxon(d - theta) or mannwhitneyu(x - theta, y)) is > 1 - level. The
                      p-value only changes where theta crosses a Walsh average (pairwise
                      difference), so the test is evaluated once inside every gap between
                      consecutive distinct Walsh averages (and once beyond each end); the
                      accepted gaps must be contiguous, and the interval runs from the left end
                      of the first to the right end of the last (an unbounded end is null).
                      If heavy ties accept no gap at all, the set is the single point v where
                      the statistic jumps across its centre, recorded as [v, v]. Tied data sit
                      on a grid of 1/128 so that equal Walsh averages are equal floats.
                      Exact regime (no tied values, n <= 50 / a sample of size <= 8): the exact
                      test; otherwise the asymptotic test (wilcoxon: correction=False;
                      mannwhitneyu: use_continuity=True). The estimates are numpy medians of the
                      Walsh averages / of all pairwise differences x_i - y_j.
- welch-from-stats.json  scipy.stats.ttest_ind_from_stats(..., equal_var=False, alternative=...):
                      the same test from summaries (mean, sd with ddof=1, n).
- welch.json          scipy.stats.ttest_ind(x, y, equal_var=False, alternative=...) and its
                      .confidence_interval(level).
- adjust.json         Benjamini-Hochberg: scipy.stats.false_discovery_control(p, method='bh').
                      Holm: statsmodels is not installed here, so holm_reference below is a
                      direct transcription of Holm (1979): sort ascending, multiply the k-th
                      smallest (k = 1..m) by m - k + 1, running maximum, cap at 1.
"""
import math
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

from fixture_common import OUT, floats, num
from fixture_common import write as write_fixture

SEED = 20250601
COMMAND = 'python3 scripts/stats-fixtures.py'


def write(name, cases, note):
    return write_fixture(name, cases, note, COMMAND, SEED)


ALTERNATIVES = ['two-sided', 'less', 'greater']
rng = np.random.default_rng(SEED)


def has_ties(a):
    return len(np.unique(a)) < len(a)


# ---------------------------------------------------------------- Wilcoxon signed-rank


def grid(a):
    """Rounds to multiples of 1/128 (about 0.008), so that equal Walsh averages are equal floats:
    with a decimal grid (d_i + d_j)/2 can differ in the last bit between pairs that are equal on
    paper, and the inversion would see gaps one ulp wide."""
    return np.round(a * 128) / 128 + 0.0  # + 0.0 turns -0.0 into 0.0


def wilcoxon_method(d):
    """The branch scipy.stats.wilcoxon(method='auto') takes in SciPy 1.17 (scipy/stats/_wilcoxon.py):
    more than 50 values (zeros included) -> asymptotic; no ties and no zeros -> exact null
    distribution; ties or zeros with at most 13 values -> permutation test, which enumerates all
    2**n sign flips (2**13 < 9999 resamples), i.e. the exact conditional distribution; else
    asymptotic. Returns (label, explicit method to cross-check with)."""
    nz = d[d != 0]
    if len(d) > 50:
        return 'normal', 'asymptotic'
    if not has_ties(np.abs(nz)) and len(nz) == len(d):
        return 'exact', 'exact'
    if len(d) <= 13:
        return 'exact', stats.PermutationMethod()
    return 'normal', 'asymptotic'


def wilcoxon_datasets():
    sets = []
    shifts = [0.0, 0.01, -0.02, 0.05, -0.004]
    for n in range(1, 31):  # continuous log ratios: no ties, no zeros
        sets.append((f'continuous n={n}', rng.normal(shifts[n % 5], 0.03, n)))
    for n in [5, 8, 10, 12, 13, 14, 20, 30, 45, 50]:  # ties, +/- ties and zeros
        sets.append((f'rounded n={n}', grid(rng.normal(0.01, 0.02, n))))
    for n, zeros in [(6, 1), (13, 2), (14, 1), (30, 3), (50, 1)]:
        d = rng.normal(0.02, 0.03, n)
        d[rng.choice(n, zeros, replace=False)] = 0.0
        sets.append((f'{zeros} zero(s) n={n}', d))
    for n in [50, 51, 60, 80]:
        sets.append((f'continuous n={n}', rng.normal(0.005, 0.03, n)))
    sets.append(('all positive n=20', np.abs(rng.normal(0.05, 0.02, 20)) + 0.001))
    sets.append(('strong shift n=50 (tiny p)', rng.normal(0.1, 0.02, 50)))
    sets.append(('strong shift n=80 (tiny p)', rng.normal(0.1, 0.02, 80)))
    sets.append(('all tied n=6', np.full(6, 0.03)))
    sets.append(('all tied n=20', np.full(20, -0.03)))
    sets.append(('n=1 positive', np.array([0.02])))
    sets.append(('n=1 negative', np.array([-0.02])))
    sets.append(('n=2 equal magnitude', np.array([0.1, -0.1])))
    sets.append(('all zeros n=5', np.zeros(5)))
    sets.append(('all zeros n=20', np.zeros(20)))
    return sets


def wilcoxon_cases(datasets):
    cases = []
    for name, d in datasets:
        label, explicit = wilcoxon_method(d)
        w_plus = float(np.sum(stats.rankdata(np.abs(d[d != 0]))[d[d != 0] > 0]))
        for alt in ALTERNATIVES:
            res = stats.wilcoxon(d, alternative=alt)
            n = int(np.count_nonzero(d))
            if n > 0:
                check = stats.wilcoxon(d, alternative=alt, method=explicit).pvalue
                assert check == res.pvalue, (name, alt, check, res.pvalue)
            if alt != 'two-sided':
                assert res.statistic == w_plus, (name, res.statistic, w_plus)
            # With no non-zero difference SciPy returns NaN past 13 values; perfgate defines p = 1
            # (W+ = 0 with certainty: a degenerate, exact null distribution).
            p = float(res.pvalue) if math.isfinite(res.pvalue) else 1.0
            label = label if n > 0 else 'exact'
            cases.append({
                'name': name, 'd': floats(d), 'alternative': alt, 'n': n, 'statistic': w_plus,
                'scipyStatistic': num(res.statistic), 'pValue': p, 'scipyPValue': num(res.pvalue),
                'method': label,
            })
    return cases


# ---------------------------------------------------------------- Hodges-Lehmann (one sample)


def invert(candidates, p_at, level):
    """Closure of {theta : p(theta) > 1 - level}, theta taken once inside every gap."""
    a = np.unique(candidates)
    span = max(1.0, float(np.max(np.abs(a))))
    thetas = np.concatenate(([a[0] - span], (a[:-1] + a[1:]) / 2, [a[-1] + span]))
    accepted = np.flatnonzero(p_at(thetas) > 1 - level)
    if accepted.size == 0:
        # Heavy ties: the centre M/2 of the statistic (the number of candidates above theta) falls
        # inside a block of equal candidates v, so the statistic jumps across every accepted value
        # at theta = v and no gap is accepted. The closure is then the point [v, v].
        above = np.array([np.count_nonzero(candidates > t) for t in thetas])
        k = int(np.flatnonzero(above > len(candidates) / 2)[-1])
        assert above[k + 1] < len(candidates) / 2
        return float(a[k]), float(a[k])
    assert np.all(np.diff(accepted) == 1), 'acceptance region not an interval'
    first, last = accepted[0], accepted[-1]
    lower = -math.inf if first == 0 else a[first - 1]
    upper = math.inf if last == len(a) else a[last]
    return num(lower), num(upper)


def walsh(d):
    i, j = np.triu_indices(len(d))
    return (d[i] + d[j]) / 2


def hl_regime(d):
    # At a shift between Walsh averages no difference is zero, and |d - theta| ties only where d ties.
    return 'exact' if len(d) <= 50 and not has_ties(d) else 'normal'


def hl_cases(datasets, levels):
    cases = []
    for name, d in datasets:
        regime = hl_regime(d)
        method = 'exact' if regime == 'exact' else 'asymptotic'
        intervals = []
        for level in levels:
            for alt in ALTERNATIVES:
                def p_at(thetas, alt=alt):
                    shifted = d[None, :] - thetas[:, None]
                    return stats.wilcoxon(shifted, axis=1, alternative=alt, method=method).pvalue
                lower, upper = invert(walsh(d), p_at, level)
                intervals.append({'level': level, 'alternative': alt, 'lower': lower, 'upper': upper})
        cases.append({'name': name, 'd': floats(d), 'estimate': float(np.median(walsh(d))),
                      'regime': regime, 'intervals': intervals})
    return cases


# ---------------------------------------------------------------- Mann-Whitney U and the HL shift


def mwu_method(x, y):
    """scipy.stats.mannwhitneyu(method='auto') in SciPy 1.17 (_mwu_choose_method): exact when one
    sample has at most 8 values and the pooled sample has no ties; else asymptotic."""
    if (len(x) <= 8 or len(y) <= 8) and not has_ties(np.concatenate([x, y])):
        return 'exact'
    return 'normal'


def mwu_datasets():
    sets = []
    sizes = [(1, 1), (1, 5), (2, 3), (3, 3), (3, 17), (17, 3), (4, 6), (5, 5), (6, 9), (7, 12),
             (8, 8), (8, 30), (30, 8), (2, 40), (9, 9), (10, 12), (15, 11), (20, 20), (25, 30),
             (50, 40)]
    for k, (m, n) in enumerate(sizes):
        sets.append((f'continuous {m} vs {n}', rng.normal(100 + 3 * (k % 3), 4, m),
                     rng.normal(100, 4, n)))
    for m, n in [(3, 5), (6, 8), (5, 20), (10, 10), (20, 25), (8, 8)]:
        sets.append((f'rounded {m} vs {n}', np.round(rng.normal(10.5, 1, m)),
                     np.round(rng.normal(10, 1, n))))
    sets.append(('separated 3 vs 17', rng.normal(200, 1, 3), rng.normal(100, 1, 17)))
    sets.append(('separated 8 vs 30', rng.normal(100, 1, 8), rng.normal(200, 1, 30)))
    sets.append(('separated 30 vs 30 (tiny p)', rng.normal(200, 1, 30), rng.normal(100, 1, 30)))
    sets.append(('all equal 4 vs 6', np.full(4, 7.0), np.full(6, 7.0)))
    sets.append(('each sample constant 5 vs 5', np.full(5, 2.0), np.full(5, 3.0)))
    return sets


def mwu_cases(datasets):
    cases = []
    for name, x, y in datasets:
        label = mwu_method(x, y)
        for alt in ALTERNATIVES:
            res = stats.mannwhitneyu(x, y, alternative=alt)
            check = stats.mannwhitneyu(x, y, alternative=alt,
                                       method='exact' if label == 'exact' else 'asymptotic')
            assert check.pvalue == res.pvalue, (name, alt)
            cases.append({'name': name, 'x': floats(x), 'y': floats(y), 'alternative': alt,
                          'statistic': float(res.statistic), 'pValue': float(res.pvalue),
                          'method': label})
    return cases


def shift_regime(x, y):
    # Between pairwise differences no x_i - theta equals a y_j: only ties within a sample remain.
    small = len(x) <= 8 or len(y) <= 8
    return 'exact' if small and not has_ties(x) and not has_ties(y) else 'normal'


def shift_cases(datasets, levels):
    cases = []
    for name, x, y in datasets:
        regime = shift_regime(x, y)
        method = 'exact' if regime == 'exact' else 'asymptotic'
        diffs = (x[:, None] - y[None, :]).ravel()
        intervals = []
        for level in levels:
            for alt in ALTERNATIVES:
                def p_at(thetas, alt=alt):
                    shifted = x[None, :] - thetas[:, None]
                    return stats.mannwhitneyu(shifted, y[None, :], axis=1, alternative=alt,
                                              method=method).pvalue
                lower, upper = invert(diffs, p_at, level)
                intervals.append({'level': level, 'alternative': alt, 'lower': lower, 'upper': upper})
        cases.append({'name': name, 'x': floats(x), 'y': floats(y),
                      'estimate': float(np.median(diffs)), 'regime': regime,
                      'intervals': intervals})
    return cases


# ---------------------------------------------------------------- Welch's t-test


def welch_cases():
    cases = []
    specs = [(2, 2), (2, 5), (3, 3), (3, 17), (17, 3), (4, 9), (5, 5), (6, 6), (8, 20), (10, 10),
             (10, 30), (30, 10), (12, 7), (15, 15), (20, 25), (25, 20), (30, 30), (40, 12)]
    levels = [0.9, 0.95, 0.99]
    for k, (m, n) in enumerate(specs):
        x = rng.normal(50 + (k % 4), 1 + k % 3, m)
        y = rng.normal(50, 1 + (k + 1) % 4, n)
        cases.append((f'{m} vs {n}', x, y, levels[k % 3]))
    cases.append(('one constant sample', np.full(5, 10.0), rng.normal(11, 2, 7), 0.95))
    cases.append(('separated (tiny p)', rng.normal(100, 1, 20), rng.normal(80, 1, 20), 0.95))
    out = []
    for name, x, y, level in cases:
        for alt in ALTERNATIVES:
            res = stats.ttest_ind(x, y, equal_var=False, alternative=alt)
            ci = res.confidence_interval(level)
            out.append({'name': name, 'x': floats(x), 'y': floats(y), 'alternative': alt,
                        'level': level, 'statistic': float(res.statistic),
                        'pValue': float(res.pvalue), 'df': float(res.df),
                        'difference': float(np.mean(x) - np.mean(y)),
                        'lower': num(ci.low), 'upper': num(ci.high)})
    return out


def welch_stats_cases():
    """scipy.stats.ttest_ind_from_stats(equal_var=False): Welch from summaries (mean, sd, n), as an
    imported benchmark gives them. Its own generator, so the other fixtures' draws do not move."""
    g = np.random.default_rng(SEED + 14)
    out = []
    specs = [(2, 2), (3, 10), (5, 5), (10, 10), (30, 8), (100, 100), (1000, 20)]
    for k, (m, n) in enumerate(specs):
        m1, m2 = float(g.uniform(50, 150)), float(g.uniform(50, 150))
        s1, s2 = float(g.uniform(0.5, 20)), float(g.uniform(0.5, 20))
        for alt in ALTERNATIVES:
            res = stats.ttest_ind_from_stats(m1, s1, m, m2, s2, n, equal_var=False, alternative=alt)
            out.append({'name': f'{m} vs {n}', 'mean1': m1, 'std1': s1, 'n1': m, 'mean2': m2,
                        'std2': s2, 'n2': n, 'alternative': alt, 'statistic': float(res.statistic),
                        'pValue': float(res.pvalue)})
    return out


# ---------------------------------------------------------------- Holm and Benjamini-Hochberg


def holm_reference(p):
    """Holm (1979), step-down: adjusted p_(k) = max_{j<=k} min(1, (m - j + 1) p_(j))."""
    m = len(p)
    order = sorted(range(m), key=lambda i: p[i])
    out = [0.0] * m
    running = 0.0
    for k, i in enumerate(order):  # k = 0..m-1, so the factor is m - k
        running = max(running, min(1.0, (m - k) * p[i]))
        out[i] = running
    return out


def adjust_cases():
    vectors = []
    for m in range(1, 31):
        p = rng.uniform(0, 1, m) ** 3  # skewed toward small p, as in a real gate
        vectors.append((f'm={m}', p))
    vectors.append(('ties', np.array([0.01, 0.04, 0.04, 0.04, 0.2, 0.01])))
    vectors.append(('zeros and ones', np.array([0.0, 1.0, 0.5, 0.0, 0.03])))
    vectors.append(('all equal', np.full(7, 0.02)))
    vectors.append(('tiny', np.array([1e-12, 3e-15, 0.2, 4e-9])))
    out = []
    for name, p in vectors:
        bh = stats.false_discovery_control(p, method='bh')
        out.append({'name': name, 'p': floats(p), 'holm': holm_reference(floats(p)),
                    'bh': floats(np.atleast_1d(bh))})
    return out


# ---------------------------------------------------------------- prediction interval


def prediction_cases():
    out = []
    levels = [0.8, 0.9, 0.95, 0.99]
    for k, n in enumerate([2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50]):
        for j, sd in enumerate([0.01, 0.05, 0.3]):
            x = rng.normal(np.log(10.0) + k * 0.01, sd, n)
            level = levels[(k + j) % 4]
            mean = float(np.mean(x))
            half = float(stats.t.ppf((1 + level) / 2, n - 1) * np.std(x, ddof=1) * np.sqrt(1 + 1 / n))
            out.append({'name': f'n={n} sd={sd}', 'x': floats(x), 'level': level, 'mean': mean,
                        'halfWidth': half, 'lower': mean - half, 'upper': mean + half})
    x = np.full(6, 2.5)
    out.append({'name': 'constant', 'x': floats(x), 'level': 0.95, 'mean': 2.5, 'halfWidth': 0.0,
                'lower': 2.5, 'upper': 2.5})
    return out


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    levels = [0.8, 0.9, 0.95, 0.99]
    w_sets = wilcoxon_datasets()
    m_sets = mwu_datasets()
    hl_sets = [(name, d) for name, d in w_sets if len(d) > 0]
    summary = [
        write('wilcoxon.json', wilcoxon_cases(w_sets),
              'scipy.stats.wilcoxon defaults; statistic = W+ (SciPy reports min(W+, W-) when two-sided)'),
        write('hodges-lehmann.json', hl_cases(hl_sets, levels),
              'estimate: median of Walsh averages; intervals: inversion of scipy.stats.wilcoxon'),
        write('mann-whitney.json', mwu_cases(m_sets),
              'scipy.stats.mannwhitneyu(method="auto", use_continuity=True); statistic = U of x'),
        write('hodges-lehmann-shift.json', shift_cases(m_sets, levels),
              'estimate: median of x_i - y_j; intervals: inversion of scipy.stats.mannwhitneyu'),
        write('welch.json', welch_cases(),
              'scipy.stats.ttest_ind(equal_var=False) and .confidence_interval(level)'),
        write('adjust.json', adjust_cases(),
              'bh: scipy.stats.false_discovery_control; holm: direct Holm (1979), see script'),
        write('prediction.json', prediction_cases(),
              'mean ± scipy.stats.t.ppf((1 + level) / 2, n - 1) * np.std(x, ddof=1) * sqrt(1 + 1/n)'),
        write('welch-from-stats.json', welch_stats_cases(),
              'scipy.stats.ttest_ind_from_stats(equal_var=False): Welch from mean, sd (ddof=1), n'),
    ]
    print(f'SciPy {scipy.__version__}, seed {SEED}: ' + '; '.join(summary))


if __name__ == '__main__':
    warnings.simplefilter('ignore', RuntimeWarning)  # SciPy's 0/0 for all-zero d (recorded as NaN)
    with np.errstate(all='ignore'):
        sys.exit(main())
