import type { RunRecord } from '../../pipelines/runs/run-record.ts';
import { escapeXml as escapeText } from '../site-data/escape-xml.ts';
import { formatBytes, formatMs, integer } from '../site-data/format.ts';

interface Box {
  title: string;
  lines: string[];
}

/** Measured duration of the stages whose name starts with `prefix`, or "cached" when all were reused. */
function stageTime(run: RunRecord, prefix: string): string {
  const stages = run.stages.filter((s) => s.name === prefix || s.name.startsWith(`${prefix}:`));
  if (stages.length === 0) return 'not recorded';
  const total = stages.reduce((sum, s) => sum + s.durationMs, 0);
  return stages.every((s) => s.cached) ? `${formatMs(total)} (cached)` : formatMs(total);
}

/**
 * The pipeline as boxes and arrows, labelled with this run's measured sizes and times, in rows of
 * `columns` boxes (three on a wide screen, one on a phone). Build-time SVG; every text is escaped.
 */
export function architectureSvg(run: RunRecord, columns = 3): string {
  const best = run.models.find((m) => m.id === run.best);
  const dataset = run.inputs.dataset;
  const boxes: Box[] = [
    {
      title: '1 Collect',
      lines: [
        `${integer(dataset.rows)} rows, ${dataset.leagues.length} leagues`,
        `${dataset.transport} · ${stageTime(run, 'collect')}`,
      ],
    },
    {
      title: '2 Features',
      lines: [`${run.task.features.length} features, past only`, stageTime(run, 'features')],
    },
    {
      title: '3 Time split',
      lines: [
        `train ${integer(run.split.train.rows)} · test ${integer(run.split.test.rows)}`,
        stageTime(run, 'split'),
      ],
    },
    {
      title: '4 Train',
      lines: [
        `${run.models.length} models (${run.models.filter((m) => m.baseline).length} baselines)`,
        stageTime(run, 'train'),
      ],
    },
    { title: '5 Evaluate', lines: ['bootstrap intervals', stageTime(run, 'evaluate')] },
    {
      title: '6 Serve',
      lines: best
        ? [
            `${best.id}: ${formatBytes(best.sizeBytes)} JSON`,
            `p50 ${formatMs(best.timings.predictP50Us / 1000)} / prediction`,
          ]
        : ['no best model', ''],
    },
  ];
  const w = 190;
  const h = 78;
  const gapX = 35;
  const gapY = columns === 1 ? 30 : 48;
  const rows = Math.ceil(boxes.length / columns);
  const x = (i: number) => 10 + (i % columns) * (w + gapX);
  const y = (i: number) => 10 + Math.floor(i / columns) * (h + gapY);
  const width = 20 + columns * w + (columns - 1) * gapX;
  const height = 20 + rows * h + (rows - 1) * gapY;
  const head = `arch-head-${columns}`;
  const parts: string[] = [];
  boxes.forEach((box, i) => {
    parts.push(
      `<g><rect class="arch-box" x="${x(i)}" y="${y(i)}" width="${w}" height="${h}" rx="8"/>` +
        `<text class="arch-title" x="${x(i) + 12}" y="${y(i) + 24}">${escapeText(box.title)}</text>` +
        box.lines
          .map(
            (line, k) =>
              `<text class="arch-line" x="${x(i) + 12}" y="${y(i) + 46 + k * 18}">${escapeText(line)}</text>`,
          )
          .join('') +
        '</g>',
    );
  });
  for (let i = 0; i + 1 < boxes.length; i++) {
    if ((i + 1) % columns !== 0) {
      // Next box on the same row: straight across.
      parts.push(
        `<line class="arch-arrow" x1="${x(i) + w}" y1="${y(i) + h / 2}" x2="${x(i + 1) - 4}" y2="${y(i) + h / 2}" marker-end="url(#${head})"/>`,
      );
    } else {
      // Last box of a row feeds the first of the next: down, across, down.
      parts.push(
        `<path class="arch-arrow" d="M${x(i) + w / 2} ${y(i) + h} V${y(i) + h + gapY / 2} H${x(i + 1) + w / 2} V${y(i + 1) - 4}" marker-end="url(#${head})"/>`,
      );
    }
  }
  return (
    `<svg class="architecture architecture-${columns === 1 ? 'narrow' : 'wide'}" viewBox="0 0 ${width} ${height}" width="100%" xmlns="http://www.w3.org/2000/svg">` +
    `<defs><marker id="${head}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path class="arch-head" d="M0 0 L10 5 L0 10 z"/></marker></defs>` +
    parts.join('') +
    '</svg>'
  );
}
