import { MlfolioError } from '../../portfolio/errors.ts';
import { type Progress, silentProgress } from '../../portfolio/progress.ts';
import type { LoadedProject } from '../../portfolio/project-file/load.ts';
import type { Workspace } from '../../portfolio/workspace.ts';
import {
  checkFeatureLeakage,
  checkTrainingServingSkew,
  describeFeatureStore,
  materializeOnlineStore,
  openFeatureStore,
  type ViewDescription,
} from '../feature-store/index.ts';
import { collectEvents } from './collect-events.ts';
import { featureStoreSpecOf } from './feature-store-spec.ts';

export interface FeatureCheck {
  passed: boolean;
  leakage: { probes: number; checkedRows: number; checkedValues: number } | { error: string };
  skew: { checkedEvents: number; checkedValues: number; mismatches: number };
  problems: string[];
}

export interface FeatureReport {
  project: string;
  views: ViewDescription[];
  check?: FeatureCheck;
  text: string;
}

/**
 * What `mlfolio features <project>` shows: every view with its lineage (source columns → view →
 * formulas that read it), freshness (TTL) and materialisation (offline rows with a value, online
 * entities, latest as-of); with `check`, the leakage guard and the training–serving skew check,
 * recomputed now from the collected data.
 */
export async function inspectFeatures(
  workspace: Workspace,
  project: LoadedProject,
  options: { check?: boolean; probes?: number; progress?: Progress } = {},
): Promise<FeatureReport> {
  const progress = options.progress ?? silentProgress;
  const spec = project.file;
  const eventsName = spec.data.events ?? Object.keys(spec.data.tables)[0]!;
  progress.stage('collect', eventsName);
  const { rows } = await collectEvents(workspace, project);
  const storeSpec = featureStoreSpecOf(spec);
  progress.stage('features', `${rows.length} events`);
  const session = await openFeatureStore(storeSpec, { rows }, `${project.specFile} (features)`);
  let views: ViewDescription[];
  let check: FeatureCheck | undefined;
  try {
    const training = await session.trainingSet();
    const online = await materializeOnlineStore(session);
    views = describeFeatureStore(session.plan, { training, online });
    if (options.check) {
      progress.stage('check', 'training–serving skew');
      const skew = await checkTrainingServingSkew(session, training, { sample: 50, seed: spec.seed });
      const problems = skew.mismatches.length
        ? [
            `${skew.mismatches.length} of ${skew.checkedValues} served values differ from the training set, e.g. ${skew.mismatches
              .slice(0, 3)
              .map((m) => `${m.feature} of event ${m.id}: offline ${m.offline}, online ${m.online}`)
              .join('; ')}.`,
          ]
        : [];
      const probes = options.probes ?? spec.leakageGuard.probes;
      progress.stage('check', `leakage guard, ${probes} probes`);
      let leakage: FeatureCheck['leakage'];
      try {
        const report = await checkFeatureLeakage(
          storeSpec,
          rows,
          { probes },
          `${project.specFile} (features)`,
        );
        leakage = {
          probes: report.probes.length,
          checkedRows: report.checkedRows,
          checkedValues: report.checkedValues,
        };
      } catch (error) {
        if (!(error instanceof MlfolioError) || error.code !== 'E_FEATURE_LEAKAGE') throw error;
        leakage = { error: error.message };
        problems.push(error.message);
      }
      check = {
        passed: problems.length === 0,
        leakage,
        skew: {
          checkedEvents: skew.checkedEvents,
          checkedValues: skew.checkedValues,
          mismatches: skew.mismatches.length,
        },
        problems,
      };
    }
  } finally {
    session.close();
  }
  return {
    project: project.slug,
    views,
    ...(check ? { check } : {}),
    text: formatReport(project.slug, views, check),
  };
}

function formatReport(
  slug: string,
  views: readonly ViewDescription[],
  check: FeatureCheck | undefined,
): string {
  const lines = [`${slug}: ${views.length} feature views`];
  for (const view of views) {
    lines.push(
      '',
      `${view.name} (${view.kind}${view.entity ? `, per ${view.entity}` : ''}, TTL ${view.ttl}) — ${view.description}`,
      `  lineage: ${view.source.table}.{${view.source.columns.join(', ')}} → ${view.outputs.join(', ')}${view.usedBy.length ? ` → ${view.usedBy.join(', ')}` : ''}`,
    );
    if (view.offline) {
      lines.push(
        `  offline: ${view.offline.withValue.toLocaleString('en-GB')} values over ${view.offline.rows.toLocaleString('en-GB')} events, latest as of ${view.offline.latestAsOf ?? '—'}`,
      );
    }
    if (view.online) {
      lines.push(
        `  online: ${view.online.entities.toLocaleString('en-GB')} entities, latest as of ${view.online.latestAsOf ?? '—'}`,
      );
    }
  }
  if (check) {
    lines.push('', `check: ${check.passed ? 'passed' : 'FAILED'}`);
    lines.push(
      'error' in check.leakage
        ? `  leakage guard: ${check.leakage.error}`
        : `  leakage guard: ${check.leakage.checkedValues.toLocaleString('en-GB')} values of ${check.leakage.checkedRows.toLocaleString('en-GB')} events unchanged under ${check.leakage.probes} counterfactual histories`,
      `  training–serving skew: ${check.skew.mismatches} of ${check.skew.checkedValues.toLocaleString('en-GB')} values differ (${check.skew.checkedEvents} events served from the online store as of their time)`,
    );
  }
  return lines.join('\n');
}
