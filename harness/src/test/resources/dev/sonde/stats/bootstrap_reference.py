#!/usr/bin/env python3
"""Reference values for CaseBootstrapTest, computed without Sonde's code.

Re-implements, from the JDK's published algorithm, java.util.SplittableRandom (seed + golden gamma,
mix32, the rejection loop of nextInt(bound)), then the bootstrap as CaseBootstrap documents it:
2,000 replicates, each drawing n case indices, the statistic on the drawn cases, the interval's
ends the sorted replicates at 0-based ranks floor(0.025*(R-1)) and ceil(0.975*(R-1)).
Run: python3 bootstrap_reference.py
"""
import math

MASK = (1 << 64) - 1
GOLDEN_GAMMA = 0x9E3779B97F4A7C15


class SplittableRandom:
    def __init__(self, seed):
        self.seed = seed & MASK

    def next_seed(self):
        self.seed = (self.seed + GOLDEN_GAMMA) & MASK
        return self.seed

    @staticmethod
    def mix32(z):
        z = ((z ^ (z >> 33)) * 0x62A9D9ED799705F5) & MASK
        z = ((z ^ (z >> 28)) * 0xCB24D0A5C88C35B3) & MASK
        r = z >> 32
        return r - (1 << 32) if r >= (1 << 31) else r  # Java int

    def next_int(self, bound):
        r = self.mix32(self.next_seed())
        m = bound - 1
        if bound & m == 0:
            return r & m
        u = (r & 0xFFFFFFFF) >> 1  # r >>> 1
        while True:
            r = u % bound
            if u + m - r < (1 << 31):  # no int overflow: u + m - r >= 0
                return r
            u = (self.mix32(self.next_seed()) & 0xFFFFFFFF) >> 1


def bootstrap(n, statistic, replicates=2000, seed=0x5EEDCA5E):
    rng = SplittableRandom(seed)
    values = []
    for _ in range(replicates):
        drawn = [rng.next_int(n) for _ in range(n)]
        values.append(statistic(drawn))
    values.sort()
    return values[math.floor(0.025 * (len(values) - 1))], values[math.ceil(0.975 * (len(values) - 1))]


def nearest_rank(values, q):
    s = sorted(values)
    return s[max(1, math.ceil(q * len(s))) - 1]


if __name__ == "__main__":
    costs = [1.0, 2.0, 3.0, 10.0, 4.5]  # 5 cases: nextInt(5) takes the rejection path
    print("mean", repr(bootstrap(5, lambda d: sum(costs[i] for i in d) / len(d))))
    clusters = [[100, 110, 120], [200, 210], [50], [400, 420, 440], [300]]
    for q in (0.5, 0.95):
        print("cluster p%d" % round(100 * q),
              repr(bootstrap(5, lambda d: nearest_rank([v for i in d for v in clusters[i]], q))))
