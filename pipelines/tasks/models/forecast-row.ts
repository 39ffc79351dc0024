import { MlfolioError } from '../../../portfolio/errors.ts';

/** Throws `E_FORECAST_ROW_INVALID` unless `row` has one finite value per feature. */
export function checkRow(featureNames: readonly string[], row: readonly number[]): void {
  if (row.length !== featureNames.length) {
    throw new MlfolioError({
      code: 'E_FORECAST_ROW_INVALID',
      message: `Expected ${featureNames.length} feature values (${featureNames.join(', ')}), but got ${row.length}.`,
      hint: "Pass the row's values in the artifact's featureNames order.",
    });
  }
  for (let j = 0; j < row.length; j++) {
    if (!Number.isFinite(row[j])) {
      throw new MlfolioError({
        code: 'E_FORECAST_ROW_INVALID',
        message: `Feature "${featureNames[j]}" is ${String(row[j])}, not a finite number.`,
        hint: 'Fill the missing value the way the feature store does for training, or skip this row.',
      });
    }
  }
}
