"""What perfgate's SciPy fixture scripts share: where fixtures go, how each file records the
generator that wrote it, and how floats are written as JSON (which has no NaN or infinities)."""
import json
import math
import platform
from pathlib import Path

import numpy as np
import scipy

OUT = Path(__file__).resolve().parent.parent / 'test' / 'fixtures' / 'stats'


def generator_info(command, seed):
    return {
        'command': command,
        'python': platform.python_version(),
        'scipy': scipy.__version__,
        'numpy': np.__version__,
        'seed': seed,
    }


def num(v):
    """JSON has no NaN or infinities: write them as null (the tests read null per field)."""
    v = float(v)
    return v if math.isfinite(v) else None


def floats(a):
    return [float(v) for v in a]


def write(name, cases, note, command, seed):
    """Writes one fixture file with its generator's record; returns a one-line summary."""
    path = OUT / name
    doc = {'generator': generator_info(command, seed), 'note': note, 'cases': cases}
    path.write_text(json.dumps(doc, indent=1, allow_nan=False) + '\n')
    return f'{name}: {len(cases)} cases'
