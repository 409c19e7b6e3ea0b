#!/usr/bin/env python3
"""Reference values for the memory-growth finding's least-squares line (src/findings/linear-fit.ts)
from SciPy.

Run from the repository root:  python3 scripts/findings-fixtures.py
Writes test/fixtures/findings/linregress.json. For each case (x, y):
  scipy.stats.linregress(x, y) -> slope, intercept, stderr (the slope's standard error, from the
  residuals with n - 2 degrees of freedom), and the two-sided t interval of the slope at `level`:
  slope -/+ scipy.stats.t.ppf((1 + level) / 2, n - 2) * stderr.
Cases: seeded NumPy data (a flat series with noise, a growing one, a GC-like sawtooth, a tiny one of
3 points, uneven x), and RSS samples recorded from real runs (`real-*`: minutes under load -> MB,
as src/findings/memory-growth.ts builds them), so that the check runs on the numbers the finding
reads in practice.
"""
import json
import sys
from pathlib import Path

import numpy as np
import scipy
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fixture_common import generator_info, num, floats  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / 'test' / 'fixtures' / 'findings'
SEED = 20240616
REAL = OUT / 'real-rss-samples.json'


def case(name, x, y, level=0.95):
    r = stats.linregress(x, y)
    n = len(x)
    t = stats.t.ppf((1 + level) / 2, n - 2)
    return {
        'name': name,
        'x': floats(x),
        'y': floats(y),
        'level': level,
        'slope': num(r.slope),
        'intercept': num(r.intercept),
        'stderr': num(r.stderr),
        'low': num(r.slope - t * r.stderr),
        'high': num(r.slope + t * r.stderr),
    }


def main():
    rng = np.random.default_rng(SEED)
    cases = []
    x = np.arange(30) / 60.0
    cases.append(case('flat with noise', x, 80 + rng.normal(0, 0.5, 30)))
    cases.append(case('growing 12 MB/min', x, 80 + 12 * x + rng.normal(0, 0.3, 30)))
    saw = 80 + (np.arange(30) % 7) * 1.5
    cases.append(case('GC sawtooth', x, saw))
    cases.append(case('three points', np.array([0.0, 0.5, 1.0]), np.array([10.0, 11.0, 13.0]), 0.9))
    xu = np.sort(rng.uniform(0, 5, 12))
    cases.append(case('uneven x', xu, 50 + 2 * xu + rng.normal(0, 1, 12), 0.99))
    if REAL.exists():
        for r in json.loads(REAL.read_text())['cases']:
            cases.append(case('real ' + r['name'], np.array(r['x']), np.array(r['y'])))
    doc = {
        'generator': generator_info('python3 scripts/findings-fixtures.py', SEED),
        'note': 'scipy.stats.linregress and the t interval of its slope (see the script)',
        'cases': cases,
    }
    (OUT / 'linregress.json').write_text(json.dumps(doc, indent=1, allow_nan=False) + '\n')
    print(f'linregress.json: {len(cases)} cases (scipy {scipy.__version__})')


if __name__ == '__main__':
    main()
