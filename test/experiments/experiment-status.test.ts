import { describe, expect, it } from 'vitest';
import { planExperiment, planInputsFromHistory } from '../../experiments/experiment-plan.ts';
import { parseExperiment } from '../../experiments/experiment-spec.ts';
import { experimentStatus } from '../../experiments/experiment-status.ts';
import { minimumDetectableEffect } from '../../experiments/statistics/power.ts';
import { exampleExperiment, modelIds } from './experiment-example.ts';
import { simulateTraffic } from './fixtures/simulated-traffic.ts';

describe('experiment status', () => {
  it('counts units per arm and per day, failures per arm, and passes the SRM test', () => {
    const experiment = parseExperiment(exampleExperiment({ plannedUnits: 2000 }), 'test', { modelIds });
    const { exposures } = simulateTraffic(experiment, {
      units: 1000,
      days: 4,
      seed: 9,
      noise: {},
      errorShare: { 'gradient-boosting': 0.1 },
    });
    const status = experimentStatus(experiment, { exposures, tornLastLine: true });
    expect(status.units['elo-logistic']! + status.units['gradient-boosting']!).toBe(1000);
    expect(status.unitsPerDay).toEqual([
      { day: '2026-03-01', units: 250 },
      { day: '2026-03-02', units: 250 },
      { day: '2026-03-03', units: 250 },
      { day: '2026-03-04', units: 250 },
    ]);
    expect(status.progress).toBe(0.5);
    expect(status.errors['elo-logistic']!.failed).toBe(0);
    expect(status.errors['gradient-boosting']!.failed).toBeGreaterThan(20);
    expect(status.sampleRatio.mismatch).toBe(false);
    expect(status.tornLastLine).toBe(true);
  });
});

describe('experiment plan', () => {
  const experiment = parseExperiment(exampleExperiment({ plannedUnits: 4000 }), 'test', { modelIds });

  it('estimates variance, correlations and units per week from history', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({
      at: new Date(Date.parse('2025-08-01') + i * 86_400_000).toISOString(),
      control: (i % 10) / 10,
      treatment: (i % 10) / 10 + ((i * 7) % 3) / 100,
      covariate: (i % 10) / 10 + ((i * 3) % 5) / 10,
    }));
    const inputs = planInputsFromHistory(rows, 'history.jsonl');
    expect(inputs.unitsPerWeek).toBeCloseTo((100 / 99) * 7, 6);
    expect(inputs.pairCorrelation).toBeGreaterThan(0.99);
    expect(inputs.cupedCorrelation).toBeGreaterThan(0.5);
    const plan = planExperiment(experiment, inputs);
    const [ab, abCuped, paired] = plan.designs;
    expect(ab!.minimumDetectableEffect).toBeCloseTo(
      minimumDetectableEffect({ units: 4000, variance: inputs.variance, alpha: 0.05, design: 'ab' }, 0.8),
      12,
    );
    expect(abCuped!.unitsNeeded).toBeLessThan(ab!.unitsNeeded);
    expect(paired!.unitsNeeded).toBeLessThan(abCuped!.unitsNeeded);
    expect(ab!.weeksNeeded).toBeCloseTo(ab!.unitsNeeded / inputs.unitsPerWeek!, 9);
  });

  it('refuses a history too short to estimate a variance', () => {
    expect(() => planInputsFromHistory([{ control: 1 }, { control: 2 }], 'history.jsonl')).toThrow(
      expect.objectContaining({
        code: 'E_HISTORY_TOO_SHORT',
        message: expect.stringContaining('history.jsonl has 2 unit(s)'),
      }),
    );
  });
});
