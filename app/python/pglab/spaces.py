"""Observation and action spaces with Gymnasium's interface (duck-typed: no gymnasium needed).

Discrete(n), Box(low, high, shape, dtype) and MultiDiscrete(nvec) offer `shape`, `dtype`, `n` /
`low` / `high` / `nvec`, `sample()`, `contains(x)` (also `x in space`), `seed(s)` and equality.
"""

import numpy as np


def _exact_int(x, what):
    """x as an int when it is one (int or NumPy integer, not bool): Discrete(2.5) was Discrete(2)."""
    if isinstance(x, (int, np.integer)) and not isinstance(x, (bool, np.bool_)):
        return int(x)
    raise TypeError(f"{what} must be an integer, got {x!r} ({type(x).__name__})")


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
        n = _exact_int(n, "Discrete n")
        if n < 1:
            raise ValueError(f"Discrete n must be ≥ 1 (the number of elements), got {n}")
        super().__init__((), np.int64, seed)
        self.n = n
        self.start = _exact_int(start, "Discrete start")

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
        # Gymnasium's checks (low ≤ high, no +inf low, no −inf high), and no NaN bound: a box
        # that contains nothing was accepted and sampled NaN.
        for name, bound in (("low", self.low), ("high", self.high)):
            if np.issubdtype(self.dtype, np.floating) and np.any(np.isnan(bound)):
                raise ValueError(f"Box {name} holds nan; allowed: numbers (±inf for no bound)")
        if np.any(self.low > self.high):
            raise ValueError(f"Box low must be ≤ high, got low={self.low}, high={self.high}")
        if np.any(np.isposinf(self.low)) or np.any(np.isneginf(self.high)):
            raise ValueError(f"Box low cannot be +inf nor high -inf, got low={self.low}, "
                             f"high={self.high}")

    def is_bounded(self, manner="both"):
        below = bool(np.all(np.isfinite(self.low)))
        above = bool(np.all(np.isfinite(self.high)))
        return {"both": below and above, "below": below, "above": above}[manner]

    def sample(self):
        # Gymnasium's rule: uniform on bounded coordinates, normal / exponential on unbounded ones.
        # Integer boxes: uniform on [low, high + 1), floored, so high itself is drawn too.
        integer = self.dtype.kind in "iub"
        low, high = self.low.astype(np.float64), self.high.astype(np.float64) + (1 if integer else 0)
        out = np.empty(self.shape)
        fl, fh = np.isfinite(low), np.isfinite(high)
        both, none = fl & fh, ~fl & ~fh
        out[both] = self.np_random.uniform(low[both], high[both])
        out[none] = self.np_random.normal(size=none.sum())
        lo_only, hi_only = fl & ~fh, ~fl & fh
        out[lo_only] = low[lo_only] + self.np_random.exponential(size=lo_only.sum())
        out[hi_only] = high[hi_only] - self.np_random.exponential(size=hi_only.sum())
        if integer:
            out = np.floor(out)
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
        # As Gymnasium: the bounds as one number each where every entry shares it, else the
        # arrays (Pendulum's low [-1, -1, -8] printed as -8.0 misstated two of its three bounds).
        def bound(a):
            return f"{a.flat[0]}" if a.size and np.all(a == a.flat[0]) else np.array2string(a)
        return f"Box({bound(self.low)}, {bound(self.high)}, {self.shape}, {self.dtype})"

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
        given = np.asarray(nvec)
        if given.dtype.kind not in "iu":
            raise TypeError(f"MultiDiscrete nvec must be integers, got {nvec!r} (dtype {given.dtype})")
        if given.size == 0 or np.any(given < 1):
            raise ValueError(f"MultiDiscrete nvec must be ≥ 1 each (the number of choices per "
                             f"coordinate), got {nvec!r}")
        self.nvec = given.astype(np.int64)
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
