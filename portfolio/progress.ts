/** Where long-running work reports what it is doing. The CLI draws it; tests stay silent. */
export interface Progress {
  /** A stage starts (or is skipped because its inputs are unchanged). */
  stage(name: string, detail?: string): void;
  /** Work inside the current stage: `done` of `total` units. */
  step(done: number, total: number, label?: string): void;
  info(message: string): void;
  warn(message: string): void;
}

export const silentProgress: Progress = { stage() {}, step() {}, info() {}, warn() {} };
