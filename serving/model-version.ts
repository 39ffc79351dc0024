/** The model version a prediction came from: enough to find the run and artifact that made it. */
export interface ModelVersion {
  project: string;
  runId: string;
  runKey: string;
  modelId: string;
  kind: string;
  label: string;
  /** How the model came to be served: `latest-run-best`, or the promotion that chose it. */
  promotedBy: string;
  promotedAt: string | undefined;
}
