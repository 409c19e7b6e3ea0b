#!/usr/bin/env python3
"""Reference values for perfgate's change point detection (src/stats/change-points.ts) from SciPy/NumPy.

Run from the repository root:  python3 scripts/changepoint-fixtures.py
Writes test/fixtures/stats/change-points-ttest.json and change-points-qhat.json and prints a one-line
summary. The data come from a seeded NumPy generator, so the output only changes when this script,
SciPy or NumPy changes. (scripts/stats-fixtures.py writes the other statistics' fixtures.)

Where the values come from:
- change-points-ttest.json  scipy.stats.ttest_ind(x, y) with its defaults: equal_var=True (Student's
                            pooled-variance test, df = m + n - 2), alternative='two-sided'. This is
                            the test Apache Otava runs on every candidate change point
                            (otava/analysis.py, TTestSignificanceTester). Where SciPy has no finite
                            answer, the fixture says what perfgate returns and keeps SciPy's raw value:
                            both samples constant and different -> t = +/-inf (recorded as null, the
                            sign is the difference's), p = 0 as SciPy; both constant and equal -> SciPy
                            0/0 = NaN, perfgate t = 0 and p = 1 (scipyStatistic/scipyPValue null).
- change-points-qhat.json   The E-divisive candidate (Matteson & James 2014, alpha = 1; Otava's
                            PairDistanceCalculator): the split tau maximising
                              Q(X, Y) = 2/(m+n) sum|X_i - Y_j| - 2m/((m+n)(n-1)) sum_{i<k}|X_i - X_k|
                                        - 2n/((m+n)(m-1)) sum_{j<k}|Y_j - Y_k|
                            over X = z[start:tau], Y = z[tau:kappa], both of at least min_segment
                            points. Computed by brute force (every pair of points summed anew for every
                            (tau, kappa)), independently of the cumulative sums in src/stats/e-divisive.ts;
                            ties go to the first (tau, kappa) in row-major order, as np.argmax.
"""
import math
import sys
import warnings

import numpy as np
import scipy
from scipy import stats

from fixture_common import OUT, floats, num
from fixture_common import write as write_fixture

SEED = 20250702
COMMAND = 'python3 scripts/changepoint-fixtures.py'


def write(name, cases, note):
    return write_fixture(name, cases, note, COMMAND, SEED)


rng = np.random.default_rng(SEED)


# ---------------------------------------------------------------- Student's pooled t-test


def ttest_datasets():
    sets = []
    sizes = [(1, 2), (2, 1), (1, 5), (2, 2), (2, 7), (3, 3), (3, 17), (17, 3), (4, 9), (5, 5), (6, 6),
             (8, 20), (10, 10), (12, 7), (15, 15), (20, 25), (30, 30), (50, 10), (3, 57), (45, 15)]
    for k, (m, n) in enumerate(sizes):
        shift = [0.0, 0.02, -0.05, 0.1][k % 4]
        sd = [0.01, 0.03, 0.1][k % 3]
        sets.append((f'continuous {m} vs {n}', 100 * rng.normal(1 + shift, sd, m), 100 * rng.normal(1, sd, n)))
    for m, n in [(5, 5), (8, 12), (20, 20), (3, 9)]:
        sets.append((f'rounded (ties) {m} vs {n}', np.round(rng.normal(10.4, 1, m)), np.round(rng.normal(10, 1, n))))
    sets.append(('one constant sample 5 vs 7', np.full(5, 10.0), rng.normal(11, 2, 7)))
    sets.append(('one constant sample 3 vs 3', rng.normal(4, 0.5, 3), np.full(3, 4.25)))
    sets.append(('both constant, different 3 vs 3', np.full(3, 1.0), np.full(3, 2.0)))
    sets.append(('both constant, different 6 vs 4', np.full(6, 2.5), np.full(4, 2.25)))
    sets.append(('both constant, equal 4 vs 4', np.full(4, 7.5), np.full(4, 7.5)))
    sets.append(('identical samples 6 vs 6', np.arange(6.0), np.arange(6.0)))
    sets.append(('one value vs a constant', np.array([5.0]), np.full(4, 3.0)))
    sets.append(('separated 20 vs 20 (tiny p)', rng.normal(110, 1, 20), rng.normal(100, 1, 20)))
    sets.append(('separated 30 vs 30 (tiny p)', rng.normal(100, 0.5, 30), rng.normal(120, 0.5, 30)))
    return sets


def ttest_cases():
    cases = []
    for name, x, y in ttest_datasets():
        res = stats.ttest_ind(x, y)
        assert res.df == len(x) + len(y) - 2
        t, p = float(res.statistic), float(res.pvalue)
        statistic, p_value = num(t), p
        if math.isnan(t):  # both constant and equal: 0/0
            statistic, p_value = 0.0, 1.0
        cases.append({'name': name, 'x': floats(x), 'y': floats(y), 'statistic': statistic, 'pValue': p_value,
                      'scipyStatistic': num(t), 'scipyPValue': num(p), 'df': float(res.df),
                      'difference': float(np.mean(x) - np.mean(y))})
    return cases


# ---------------------------------------------------------------- E-divisive candidate


def qhat(x, y):
    n, m = len(x), len(y)
    across = np.abs(x[:, None] - y[None, :]).sum()
    in_x = np.triu(np.abs(x[:, None] - x[None, :]), k=1).sum()
    in_y = np.triu(np.abs(y[:, None] - y[None, :]), k=1).sum()
    return 2 / (m + n) * across - 2 * m / ((m + n) * (n - 1)) * in_x - 2 * n / ((m + n) * (m - 1)) * in_y


def candidate(z, start, end, k):
    best = None
    for tau in range(start + k, end - k + 1):
        for kappa in range(tau + k, end + 1):
            q = qhat(z[start:tau], z[tau:kappa])
            if best is None or q > best[1]:
                best = (tau, q)
    return best


def qhat_cases():
    cases = []
    specs = [  # (name, series, start, end, min_segment)
        ('noise n=6', rng.normal(100, 3, 6), 0, 6, 2),
        ('noise n=12', rng.normal(100, 3, 12), 0, 12, 3),
        ('noise n=30', rng.normal(100, 3, 30), 0, 30, 3),
        ('noise n=40, k=5', rng.normal(100, 3, 40), 0, 40, 5),
        ('shift +10 % at 17 of 30', np.concatenate([rng.normal(100, 3, 17), rng.normal(110, 3, 13)]), 0, 30, 3),
        ('shift -10 % at 5 of 30', np.concatenate([rng.normal(100, 3, 5), rng.normal(90, 3, 25)]), 0, 30, 3),
        ('shift +20 % at 26 of 30', np.concatenate([rng.normal(100, 3, 26), rng.normal(120, 3, 4)]), 0, 30, 3),
        ('two shifts in 45', np.concatenate([rng.normal(100, 2, 15), rng.normal(108, 2, 15),
                                             rng.normal(97, 2, 15)]), 0, 45, 3),
        ('segment [7, 29) of 35', np.concatenate([rng.normal(50, 1, 20), rng.normal(53, 1, 15)]), 7, 29, 3),
        ('segment [10, 20) of 20', rng.normal(5, 1, 20), 10, 20, 2),
        ('variance change only', np.concatenate([rng.normal(100, 1, 20), rng.normal(100, 8, 20)]), 0, 40, 3),
        ('shift +5 % at 30 of 50, k=4', np.concatenate([rng.normal(100, 3, 30), rng.normal(105, 3, 20)]), 0, 50, 4),
    ]
    for name, z, start, end, k in specs:
        index, q = candidate(z, start, end, k)
        cases.append({'name': name, 'z': floats(z), 'start': start, 'end': end, 'minSegment': k,
                      'index': int(index), 'qhat': float(q)})
    return cases


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    summary = [
        write('change-points-ttest.json', ttest_cases(),
              'scipy.stats.ttest_ind(x, y) (equal_var=True, two-sided); statistic null = +/-inf with the '
              "difference's sign; SciPy's NaN for two equal constants recorded as perfgate's t = 0, p = 1"),
        write('change-points-qhat.json', qhat_cases(),
              'E-divisive Q-hat (Matteson & James 2014, alpha = 1) maximised over tau, kappa by brute force'),
    ]
    print(f'SciPy {scipy.__version__}, seed {SEED}: ' + '; '.join(summary))


if __name__ == '__main__':
    warnings.simplefilter('ignore', RuntimeWarning)  # SciPy's 0/0 for two equal constant samples
    with np.errstate(all='ignore'):
        sys.exit(main())
