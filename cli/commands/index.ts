import type { CommandDef } from 'citty';

// citty's CommandDef is invariant in its args, so the table holds commands of any argument shape.
// biome-ignore lint/suspicious/noExplicitAny: see above
type AnyCommand = CommandDef<any>;

/**
 * Every `mlfolio` subcommand, by name, loaded when it runs: a command imports only what it uses,
 * so `mlfolio runs` does not pay for the scrapers' HTML parser or the pipelines' DataFrames.
 */
export const commands: Record<string, () => Promise<AnyCommand>> = {
  start: () => import('./start.ts').then((m) => m.startCommand),
  collect: () => import('./collect.ts').then((m) => m.collectCommand),
  run: () => import('./run.ts').then((m) => m.runCommand),
  runs: () => import('./runs.ts').then((m) => m.runsCommand),
  publish: () => import('./publish.ts').then((m) => m.publishCommand),
  serve: () => import('./serve.ts').then((m) => m.serveCommand),
  monitor: () => import('./monitor.ts').then((m) => m.monitorCommand),
  retrain: () => import('./retrain.ts').then((m) => m.retrainCommand),
  replay: () => import('./replay.ts').then((m) => m.replayCommand),
  scrape: () => import('./scrape.ts').then((m) => m.scrapeCommand),
  inspect: () => import('./inspect.ts').then((m) => m.inspectCommand),
  extract: () => import('./extract.ts').then((m) => m.extractCommand),
  audit: () => import('./audit.ts').then((m) => m.auditCommand),
  path: () => import('./path.ts').then((m) => m.pathCommand),
  new: () => import('./new.ts').then((m) => m.newCommand),
  experiment: () => import('./experiment.ts').then((m) => m.experimentCommand),
  label: () => import('./label.ts').then((m) => m.labelCommand),
  features: () => import('./features.ts').then((m) => m.featuresCommand),
};
