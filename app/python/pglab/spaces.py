"""Observation and action spaces with Gymnasium's interface (duck-typed: no gymnasium needed).

Discrete(n), Box(low, high, shape, dtype) and MultiDiscrete(nvec) offer `shape`, `dtype`, `n` /
`low` / `high` / `nvec`, `sample()`, `contains(x)` (also `x in space`), `seed(s)` and equality.
"""

import numpy as np


class Space:
    def __init__(self, shape, dtype, seed=None):
        self.shape = tuple(shape)
        self.dtype = np.dtype(dtype)
        self._np_random = np.random.default_rng(seed)

    @property
    def np_random(self):
        return self._np_random

    def seed(self, seed=None):
        self._np_random = np.random.default_rng(seed)
        return [seed]

    def __contains__(self, x):
        return self.contains(x)


class Discrete(Space):
    """{start, …, start + n − 1}; elements are integers (Python or NumPy)."""

    def __init__(self, n, seed=None, start=0):
        if int(n) < 1:
            raise ValueError("Discrete needs n ≥ 1")
        super().__init__((), np.int64, seed)
        self.n = int(n)
        self.start = int(start)

    def sample(self, mask=None):
        if mask is not None:
            choices = np.flatnonzero(np.asarray(mask, dtype=np.int8))
            return int(self.start + (self.np_random.choice(choices) if len(choices) else 0))
        return int(self.start + self.np_random.integers(self.n))

    def contains(self, x):
        if isinstance(x, (int, np.integer)) and not isinstance(x, bool):
            v = int(x)
        elif isinstance(x, np.ndarray) and x.shape == () and np.issubdtype(x.dtype, np.integer):
            v = int(x)
        else:
            return False
        return self.start <= v < self.start + self.n

    def __repr__(self):
        return f"Discrete({self.n})" if self.start == 0 else f"Discrete({self.n}, start={self.start})"

    def __eq__(self, other):
        return isinstance(other, Discrete) and (self.n, self.start) == (other.n, other.start)


class Box(Space):
    """A box in R^shape: low ≤ x ≤ high elementwise (bounds may be infinite)."""

    def __init__(self, low, high, shape=None, dtype=np.float64, seed=None):
        if shape is None:
            shape = np.shape(low) if np.ndim(low) else np.shape(high)
        super().__init__(shape, dtype, seed)
        self.low = np.broadcast_to(np.asarray(low, dtype=self.dtype), self.shape).copy()
        self.high = np.broadcast_to(np.asarray(high, dtype=self.dtype), self.shape).copy()

    def is_bounded(self, manner="both"):
        below = bool(np.all(np.isfinite(self.low)))
        above = bool(np.all(np.isfinite(self.high)))
        return {"both": below and above, "below": below, "above": above}[manner]

    def sample(self):
        # Gymnasium's rule: uniform on bounded coordinates, normal / exponential on unbounded ones.
        low, high = self.low.astype(np.float64), self.high.astype(np.float64)
        out = np.empty(self.shape)
        fl, fh = np.isfinite(low), np.isfinite(high)
        both, none = fl & fh, ~fl & ~fh
        out[both] = self.np_random.uniform(low[both], high[both])
        out[none] = self.np_random.normal(size=none.sum())
        lo_only, hi_only = fl & ~fh, ~fl & fh
        out[lo_only] = low[lo_only] + self.np_random.exponential(size=lo_only.sum())
        out[hi_only] = high[hi_only] - self.np_random.exponential(size=hi_only.sum())
        return out.astype(self.dtype)

    def contains(self, x):
        if not isinstance(x, np.ndarray):
            try:
                x = np.asarray(x, dtype=self.dtype)
            except (ValueError, TypeError):
                return False
        return bool(
            np.can_cast(x.dtype, self.dtype)
            and x.shape == self.shape
            and np.all(x >= self.low)
            and np.all(x <= self.high)
        )

    def __repr__(self):
        return f"Box({self.low.min()}, {self.high.max()}, {self.shape}, {self.dtype})"

    def __eq__(self, other):
        return (
            isinstance(other, Box)
            and self.shape == other.shape
            and self.dtype == other.dtype
            and np.array_equal(self.low, other.low)
            and np.array_equal(self.high, other.high)
        )


class MultiDiscrete(Space):
    """One Discrete(nvec[i]) per coordinate (a vector env's actions)."""

    def __init__(self, nvec, dtype=np.int64, seed=None):
        self.nvec = np.asarray(nvec, dtype=np.int64)
        super().__init__(self.nvec.shape, dtype, seed)

    def sample(self):
        return self.np_random.integers(self.nvec).astype(self.dtype)

    def contains(self, x):
        x = np.asarray(x)
        return bool(
            x.shape == self.shape
            and np.issubdtype(x.dtype, np.integer)
            and np.all(x >= 0)
            and np.all(x < self.nvec)
        )

    def __repr__(self):
        return f"MultiDiscrete({self.nvec})"

    def __eq__(self, other):
        return isinstance(other, MultiDiscrete) and np.array_equal(self.nvec, other.nvec)
