/**
 * The environment every Astro run of mlfolio gets: telemetry off. Astro sends anonymous usage
 * events to its servers and prints a notice on its first run unless `ASTRO_TELEMETRY_DISABLED` is
 * set; the README promises no network beyond the npm registry, and there is no project-level
 * setting (only a per-user one, `astro telemetry disable`).
 */
export const astroEnvironment = { ASTRO_TELEMETRY_DISABLED: '1' } as const;

/** Turns Astro's telemetry off for Astro's API used in this process (`build`, `preview`). */
export function disableAstroTelemetry(env: NodeJS.ProcessEnv = process.env): void {
  Object.assign(env, astroEnvironment);
}
