import { describe, expect, it } from 'vitest';
import {
  alwaysValid,
  alwaysValidRadius,
  mixtureLikelihoodRatio,
  mixtureVariance,
} from '../../experiments/statistics/always-valid.ts';
import { cupedDifference } from '../../experiments/statistics/cuped.ts';
import {
  groupSequentialBoundaries,
  obrienFlemingSpent,
} from '../../experiments/statistics/group-sequential.ts';
import {
  binomialCdf,
  nonInferiority,
  proportionBounds,
  quantileBounds,
} from '../../experiments/statistics/guardrail-tests.ts';
import { pairedDifference, welchDifference } from '../../experiments/statistics/mean-difference.ts';
import { benjaminiHochbergAdjusted, holmAdjusted } from '../../experiments/statistics/multiple-testing.ts';
import { minimumDetectableEffect, type PowerDesign, power } from '../../experiments/statistics/power.ts';
import { ratioDifference } from '../../experiments/statistics/ratio-metric.ts';
import golden from './golden/statistics.json' with { type: 'json' };

function close(actual: number, expected: number, tolerance = 1e-9) {
  expect(Math.abs(actual - expected), `${actual} vs ${expected}`).toBeLessThanOrEqual(
    tolerance * Math.max(1, Math.abs(expected)),
  );
}

describe('difference in means', () => {
  it('Welch t matches scipy.stats.ttest_ind(equal_var=False), with its 95% interval', () => {
    const g = golden.welch;
    const result = welchDifference(g.control, g.treatment);
    close(result.difference, g.difference);
    close(result.statistic, g.statistic);
    close(result.degreesOfFreedom, g.degreesOfFreedom);
    close(result.pValue, g.pValue, 1e-8);
    close(result.interval[0], g.interval[0]!);
    close(result.interval[1], g.interval[1]!);
  });

  it('the paired (shadow) test matches scipy.stats.ttest_rel', () => {
    const g = golden.paired;
    const result = pairedDifference(g.control, g.treatment);
    close(result.statistic, g.statistic);
    close(result.pValue, g.pValue, 1e-8);
    close(result.interval[0], g.interval[0]!);
    close(result.interval[1], g.interval[1]!);
  });
});

describe('ratio metrics by the delta method', () => {
  it('match the numpy computation of each arm and of the difference', () => {
    const g = golden.ratio;
    const result = ratioDifference(g.control, g.treatment);
    close(result.control.ratio, g.controlRatio);
    close(result.control.variance, g.controlVariance);
    close(result.treatment.ratio, g.treatmentRatio);
    close(result.treatment.variance, g.treatmentVariance);
    close(result.difference, g.difference);
    close(result.pValue, g.pValue, 1e-8);
    close(result.interval[0], g.interval[0]!);
    close(result.interval[1], g.interval[1]!);
  });
});

describe('CUPED', () => {
  it('matches theta, correlation, variance reduction and the adjusted test computed with numpy', () => {
    const g = golden.cuped;
    const result = cupedDifference(g.control, g.treatment);
    close(result.theta, g.theta);
    close(result.correlation, g.correlation);
    close(result.varianceReduction, g.varianceReduction);
    close(result.adjusted.difference, g.adjustedDifference);
    close(result.adjusted.pValue, g.adjustedPValue, 1e-8);
    // At ρ ≈ 0.7 about half the variance goes, and the interval narrows accordingly.
    expect(result.varianceReduction).toBeGreaterThan(0.4);
    expect(result.adjusted.standardError).toBeLessThan(result.unadjusted.standardError * 0.8);
  });
});

describe('multiple testing', () => {
  it('Holm and Benjamini–Hochberg adjusted p-values match, on Benjamini & Hochberg’s 15 p-values', () => {
    const g = golden.multipleTesting;
    holmAdjusted(g.pValues).forEach((p, i) => {
      close(p, g.holm[i]!, 1e-12);
    });
    benjaminiHochbergAdjusted(g.pValues).forEach((p, i) => {
      close(p, g.bh[i]!, 1e-12);
    });
    // The paper's conclusions at 0.05: BH rejects four hypotheses, Holm three.
    expect(benjaminiHochbergAdjusted(g.pValues).filter((p) => p <= 0.05)).toHaveLength(4);
    expect(holmAdjusted(g.pValues).filter((p) => p <= 0.05)).toHaveLength(3);
  });
});

describe('power and minimum detectable effect', () => {
  it.each(golden.power)('$design n=$units ρ_cuped=$cupedCorrelation match scipy', (g) => {
    const design: PowerDesign = {
      units: g.units,
      variance: g.variance,
      alpha: g.alpha,
      design: g.design as 'ab' | 'paired',
      controlShare: g.controlShare,
      cupedCorrelation: g.cupedCorrelation,
      pairCorrelation: g.pairCorrelation,
    };
    close(power(design, g.effect), g.power, 1e-9);
    close(minimumDetectableEffect(design, 0.8), g.mde80, 1e-9);
  });

  it('reproduces the textbook 63 units per arm for a half-standard-deviation effect', () => {
    const design: PowerDesign = { units: 126, variance: 1, alpha: 0.05, design: 'ab' };
    expect(power(design, 0.5)).toBeGreaterThan(0.8);
    expect(power({ ...design, units: 124 }, 0.5)).toBeLessThan(0.8);
  });
});

describe('group-sequential boundaries (Lan–DeMets O’Brien–Fleming)', () => {
  it('reproduce the published five-look boundaries', () => {
    const boundaries = groupSequentialBoundaries([0.2, 0.4, 0.6, 0.8, 1], 0.05);
    [4.877, 3.357, 2.68, 2.29, 2.031].forEach((published, i) => {
      close(boundaries[i]!, published, 5e-4);
    });
  });

  it.each(golden.groupSequential)(
    'match boundaries solved with scipy’s multivariate normal at $fractions',
    (g) => {
      groupSequentialBoundaries(g.fractions, g.alpha).forEach((c, i) => {
        close(c, g.boundaries[i]!, 2e-4);
      });
    },
  );

  it('spend all of α by the end and little early', () => {
    expect(obrienFlemingSpent(1, 0.05)).toBe(0.05);
    expect(obrienFlemingSpent(0.2, 0.05)).toBeLessThan(1e-5);
  });
});

describe('always-valid inference (mSPRT)', () => {
  it('puts the interval’s ends exactly where the test starts rejecting', () => {
    const variance = 0.0004;
    const tau2 = mixtureVariance(0.0001, 0.05);
    const radius = alwaysValidRadius(variance, tau2, 0.05);
    close(mixtureLikelihoodRatio(0.03 + radius, variance, tau2, 0.03), 1 / 0.05, 1e-9);
    close(mixtureLikelihoodRatio(0.03 - radius, variance, tau2, 0.03), 1 / 0.05, 1e-9);
    // Wider than the fixed-horizon interval at the same variance: the price of looking at will.
    expect(radius).toBeGreaterThan(1.96 * Math.sqrt(variance));
  });

  it('keeps the smallest p-value and the intersection of intervals across looks', () => {
    const tau2 = mixtureVariance(0.0001, 0.05);
    const result = alwaysValid(
      [
        { estimate: 0.05, variance: 0.0004 },
        { estimate: 0.04, variance: 0.0002 },
        { estimate: 0.01, variance: 0.0001 },
      ],
      tau2,
      0.05,
    );
    const ps = result.looks.map((l) => l.pValue);
    expect(ps[2]).toBe(Math.min(...ps));
    expect(result.pValue).toBe(ps[2]);
    expect(result.interval[0]!).toBe(
      Math.max(...result.looks.map((l) => l.estimate - alwaysValidRadius(l.variance, tau2, 0.05))),
    );
    expect(result.interval[1]!).toBeLessThanOrEqual(0.01 + alwaysValidRadius(0.0001, tau2, 0.05));
  });
});

describe('guardrail tests', () => {
  it.each(golden.binomial)('binomial CDF($k; $n, $p) matches scipy', ({ k, n, p, value }) =>
    close(binomialCdf(k, n, p), value, 1e-9),
  );

  it.each(golden.clopperPearson)(
    'Clopper–Pearson bounds of $events/$n match scipy',
    ({ events, n, alpha, lower, upper }) => {
      const bounds = proportionBounds(events, n, alpha);
      close(bounds.lower, lower, 1e-9);
      close(bounds.upper, upper, 1e-9);
    },
  );

  it('bounds the p99 by order statistics that cover it at the stated confidence', () => {
    const values = Array.from({ length: 2000 }, (_, i) => i + 1);
    const bounds = quantileBounds(values, 0.99, 0.05);
    expect(bounds.estimate).toBe(1980);
    expect(bounds.lower).toBeLessThan(1980);
    expect(bounds.upper).toBeGreaterThan(1980);
    expect(quantileBounds(values.slice(0, 50), 0.99, 0.05).upper).toBeUndefined();
  });

  it('non-inferiority passes a harmless change, fails a harmful one and waits on an unclear one', () => {
    const base = welchDifference(golden.welch.control, golden.welch.control);
    const shifted = (by: number) => ({ ...base, difference: by });
    const se = base.standardError;
    expect(nonInferiority(shifted(0), 'lower', 4 * se, 0.05).status).toBe('pass');
    expect(nonInferiority(shifted(8 * se), 'lower', 4 * se, 0.05).status).toBe('fail');
    expect(nonInferiority(shifted(4 * se), 'lower', 4 * se, 0.05).status).toBe('inconclusive');
    expect(nonInferiority(shifted(-8 * se), 'higher', 4 * se, 0.05).status).toBe('fail');
  });
});
