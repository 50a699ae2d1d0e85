"""Sizes of a run and the distributions that give generated data the shape of real
forums: Zipf popularity, Pareto thread sizes, J-shaped ratings."""

from __future__ import annotations

import bisect
import random
import uuid
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta
from typing import Any


@dataclass(frozen=True)
class Sizes:
    members: int = 100_000
    communities: int = 2_000
    posts: int = 1_000_000
    reviews: int = 200_000
    entries: int = 20_000

    def scaled(self, factor: float) -> Sizes:
        return replace(self, **{k: max(1, round(v * factor)) for k, v in asdict(self).items()})

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


# How long the generated forum has existed, up to the run's end date.
SPAN = timedelta(days=3 * 365)


class Zipf:
    """Draws indexes 0..n-1 with weight 1/(rank+1)^s: a few very popular, a long tail."""

    def __init__(self, n: int, s: float = 1.0) -> None:
        total, self.cumulative = 0.0, []
        for rank in range(n):
            total += 1.0 / (rank + 1) ** s
            self.cumulative.append(total)
        self.total = total

    def draw(self, rng: random.Random) -> int:
        return bisect.bisect_left(self.cumulative, rng.random() * self.total)


def pareto_sizes(rng: random.Random, total: int, alpha: float, cap: int) -> list[int]:
    """Thread sizes summing to ``total``: most threads get a handful of posts, a few
    thousands (a discrete Pareto tail, capped)."""
    sizes: list[int] = []
    left = total
    while left > 0:
        size = min(cap, left, int(1.0 / (1.0 - rng.random()) ** (1.0 / alpha)))
        sizes.append(max(1, size))
        left -= sizes[-1]
    return sizes


def j_shaped_score(rng: random.Random) -> int:
    """Real ratings: many 5s, a fair share of 1s, few in between."""
    return rng.choices((1, 2, 3, 4, 5), weights=(19, 6, 7, 14, 54))[0]


def near(rng: random.Random, score: int) -> int:
    """Another dimension of the same review: mostly the headline, sometimes one off."""
    return min(5, max(1, score + rng.choice((0, 0, 0, -1, 1))))


def uuid_from(rng: random.Random) -> uuid.UUID:
    """A version-4 UUID from the run's generator: same seed, same public ids."""
    return uuid.UUID(int=rng.getrandbits(128), version=4)


def moment(rng: random.Random, until: datetime, *, recent_bias: float = 2.0) -> datetime:
    """A time in the forum's life, more of them recent (the site grows)."""
    fraction = rng.random() ** (1.0 / recent_bias)
    result: datetime = until - SPAN + SPAN * fraction
    return result


def pick_distinct(rng: random.Random, pool: Sequence[Any], k: int) -> list[Any]:
    return rng.sample(list(pool), min(k, len(pool)))
