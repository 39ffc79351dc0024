/**
 * The feature store: feature views declared as data, computed point-in-time for training
 * (DuckDB), materialised per entity for serving, and checked for leakage and training–serving skew.
 * Browser code imports `online-serving.ts` and `formula-expression.ts` directly: this entry
 * brings DuckDB.
 */

export { describeFeatureStore, type ViewDescription } from './describe-store.ts';
export type { EventSource } from './event-table.ts';
export {
  type FeatureOutput,
  type FeatureStorePlan,
  formulaLineage,
  planFeatureStore,
} from './feature-store-plan.ts';
export {
  buildTrainingSet,
  createFeatureStoreDatabase,
  type FeatureStoreDatabase,
  type FeatureStoreSession,
  openFeatureStore,
  type TrainingSetOptions,
} from './feature-store-session.ts';
export {
  aggregateNames,
  type EventTableSpec,
  eventTableSchema,
  type FeatureStoreSpec,
  type FeatureStoreSpecInput,
  type FeatureViewInput,
  type FeatureViewSpec,
  featureStoreSpecSchema,
  featureViewSchema,
  parseTtl,
  type Ttl,
  ttlSchema,
} from './feature-view-schema.ts';
export {
  browserFormulaEvaluator,
  type CompiledFormula,
  compileFormula,
  formulaFunctions,
} from './formula-expression.ts';
export { type FutureTarget, type FutureTargetOptions, futureTarget } from './future-target.ts';
export {
  type BuildFromRows,
  checkFeatureLeakage,
  type FeatureLeakageOptions,
  type FeatureLeakageReport,
  featureLeakageGuardMethod,
} from './leakage-guard.ts';
export {
  type FormulaEvaluator,
  type MaterializeOptions,
  materializeOnlineStore,
  type OnlineRead,
  type OnlineRecord,
  type OnlineStore,
  readOnlineFeature,
  readOnlineStore,
  type ServedRow,
  type ServeEvent,
  serveFeatureRow,
  writeOnlineStore,
} from './online-store.ts';
export { servingFormulaEvaluator } from './serving-formulas.ts';
export { assertNoSkew, checkTrainingServingSkew, formulaEvaluator, type SkewReport } from './skew-check.ts';
export { type TrainingRow, type TrainingSet, timeLabel, timeOrdinal, trainingRow } from './training-set.ts';
