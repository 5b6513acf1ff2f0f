#!/usr/bin/env python3
"""Reference values for CaseBootstrapTest and PairedBootstrapTest, computed without Sonde's code.

Re-implements, from the JDK's published algorithm, java.util.SplittableRandom (seed + golden gamma,
mix32, the rejection loop of nextInt(bound)), then the bootstrap as CaseBootstrap documents it:
2,000 replicates, each drawing n case indices, the statistic on the drawn cases, the interval's
ends the sorted replicates at 0-based ranks floor(0.025*(R-1)) and ceil(0.975*(R-1)).
PairedBootstrap as it documents itself: each replicate draws n case indices, then (with several
baseline runs) R run indices and the one run the run stands in for, from one generator seeded
0x5EED9A1D; the statistic is a ratio run / baseline over the drawn cases (and the drawn runs on the
baseline side; a quantile's run values scaled by the stand-in run's deviation on each case); the
interval at level L is the sorted defined replicates at ranks floor(a*(V-1)) and ceil((1-a)*(V-1)),
a = (1-L)/2.
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


def paired(n, runs, statistic, level, replicates=2000, seed=0x5EED9A1D):
    rng = SplittableRandom(seed)
    values = []
    for _ in range(replicates):
        cases = [rng.next_int(n) for _ in range(n)]
        drawn_runs = [rng.next_int(runs) for _ in range(runs)] if runs > 1 else [0]
        stand = rng.next_int(runs) if runs > 1 else None
        v = statistic(cases, drawn_runs, stand)
        if v == v:  # defined
            values.append(v)
    values.sort()
    a = (1 - level) / 2
    return values[math.floor(a * (len(values) - 1))], values[math.ceil((1 - a) * (len(values) - 1))]


def deviations(base):
    """[case][run]: exp(mean log of the case's values in the run - the mean of those over its runs)."""
    out = []
    for per_run in base:
        means = [sum(math.log(v) for v in vals) / len(vals) if vals else None for vals in per_run]
        held = [m for m in means if m is not None]
        centre = sum(held) / len(held) if held else 0
        out.append([1.0 if m is None else math.exp(m - centre) for m in means])
    return out


def quantile_ratio(run, base, q):
    """run[case] = values; base[case][run] = values."""
    dev = deviations(base)
    def statistic(cases, runs, stand):
        r = [v * (1 if stand is None else dev[i][stand]) for i in cases for v in run[i]]
        b = [v for i in cases for j in runs for v in base[i][j]]
        return nearest_rank(r, q) / nearest_rank(b, q)
    return statistic


def mean_ratio(run, base):
    """run[case] = values; base[case][run] = values; the sum of per-case means, run over baseline."""
    def statistic(cases, runs, stand):
        r = b = 0.0
        for i in cases:
            pooled = [v for j in runs for v in base[i][j]]
            if pooled:
                r += sum(run[i]) / len(run[i])
                b += sum(pooled) / len(pooled)
        return r / b if b > 0 else float("nan")
    return statistic


if __name__ == "__main__":
    costs = [1.0, 2.0, 3.0, 10.0, 4.5]  # 5 cases: nextInt(5) takes the rejection path
    print("mean", repr(bootstrap(5, lambda d: sum(costs[i] for i in d) / len(d))))
    clusters = [[100, 110, 120], [200, 210], [50], [400, 420, 440], [300]]
    for q in (0.5, 0.95):
        print("cluster p%d" % round(100 * q),
              repr(bootstrap(5, lambda d: nearest_rank([v for i in d for v in clusters[i]], q))))
    run = [[110, 130], [205], [62, 58, 66], [450], [330, 300]]
    base = [[[100, 120]], [[200]], [[50, 55, 60]], [[400]], [[310, 290]]]
    print("paired p95 0.95", repr(paired(5, 1, quantile_ratio(run, base, 0.95), 0.95)))
    print("paired p50 0.90", repr(paired(5, 1, quantile_ratio(run, base, 0.5), 0.90)))
    print("paired mean 0.95", repr(paired(5, 1, mean_ratio(run, base), 0.95)))
    runs3 = [[[100, 120], [130, 150], [90]], [[200], [260], [190]], [[50, 55, 60], [70], [45, 50]],
             [[400], [520], [380]], [[310, 290], [400], [280]]]
    print("three runs p95 0.95", repr(paired(5, 3, quantile_ratio(run, runs3, 0.95), 0.95)))
    print("three runs mean 0.95", repr(paired(5, 3, mean_ratio(run, runs3), 0.95)))
