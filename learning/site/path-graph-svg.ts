import type { Plan } from '../path/plan.ts';
import { layeredLayout } from './layered-layout.ts';

const nodeWidth = 210;
const nodeHeight = 62;
const columnGap = 56;
const rowGap = 18;
const margin = 12;

const statusText = { done: 'shown', 'in-progress': 'in progress', 'not-started': 'not started' } as const;

/**
 * The learning path as a static SVG: one box per skill, prerequisites as arrows from left to right,
 * coloured by the progress the audit found, the next step outlined. Built at build time; the page
 * needs no script. Colours come from CSS custom properties with fallbacks, so the page's light and
 * dark themes apply.
 */
export function pathGraphSvg(plan: Plan): string {
  const milestones = plan.milestones;
  const byId = new Map(milestones.map((m) => [m.skill.id, m]));
  const layout = layeredLayout({
    nodes: milestones.map((m) => m.skill.id),
    edges: milestones.flatMap((m) =>
      m.skill.prerequisites.filter((p) => byId.has(p)).map((p) => [p, m.skill.id] as const),
    ),
  });
  const x = (column: number) => margin + column * (nodeWidth + columnGap);
  const y = (row: number) => margin + row * (nodeHeight + rowGap);
  const width = x(layout.columns) - columnGap + margin;
  const height = y(layout.rows) - rowGap + margin;

  const edges = layout.routes.map(({ from, to, cells }) => {
    const points: [number, number][] = [];
    cells.forEach((cell, i) => {
      const cy = y(cell.row) + nodeHeight / 2;
      if (i > 0) points.push([x(cell.column), cy]);
      if (i < cells.length - 1) points.push([x(cell.column) + nodeWidth, cy]);
    });
    let d = `M${points[0]![0]},${points[0]![1]}`;
    for (let i = 1; i < points.length; i++) {
      const [px, py] = points[i - 1]!;
      const [qx, qy] = points[i]!;
      // Inside a crossed column the route runs straight; between columns it bends smoothly.
      d += i % 2 === 0 ? ` L${qx},${qy}` : ` C${(px + qx) / 2},${py} ${(px + qx) / 2},${qy} ${qx},${qy}`;
    }
    const done = byId.get(from)?.progress.status === 'done';
    return `<path class="edge${done ? ' edge-done' : ''}" d="${d}" marker-end="url(#arrow)"><title>${escapeXml(`${byId.get(from)!.skill.title} comes before ${byId.get(to)!.skill.title}`)}</title></path>`;
  });

  const nodes = milestones.map((milestone) => {
    const position = layout.positions.get(milestone.skill.id)!;
    const left = x(position.column);
    const top = y(position.row);
    const isNext = plan.next?.skill === milestone.skill.id;
    const found = milestone.progress.evidence.filter((e) => e.passedIn.length).length;
    const lines = wrap(`${milestone.step}. ${milestone.skill.title}`, 24).slice(0, 2);
    const detail = `${statusText[milestone.progress.status]} · ${found}/${milestone.progress.evidence.length} checks${isNext ? ' · next' : ''}`;
    const classes = ['skill', milestone.progress.status, isNext ? 'next' : ''].filter(Boolean).join(' ');
    const textTop = top + (lines.length === 1 ? 26 : 19);
    return [
      `<g class="${classes}">`,
      `<title>${escapeXml(`${milestone.skill.title}: ${milestone.skill.summary} (${detail})`)}</title>`,
      `<rect x="${left}" y="${top}" width="${nodeWidth}" height="${nodeHeight}" rx="8"/>`,
      ...lines.map(
        (line, i) => `<text class="label" x="${left + 10}" y="${textTop + i * 16}">${escapeXml(line)}</text>`,
      ),
      `<text class="detail" x="${left + 10}" y="${top + nodeHeight - 9}">${escapeXml(detail)}</text>`,
      `</g>`,
    ].join('');
  });

  const done = milestones.filter((m) => m.progress.status === 'done').length;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="path-graph" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="path-graph-title path-graph-desc">`,
    `<title id="path-graph-title">Learning path: ${done} of ${milestones.length} skills shown</title>`,
    `<desc id="path-graph-desc">${escapeXml(
      milestones
        .map(
          (m) =>
            `${m.step}. ${m.skill.title}: ${statusText[m.progress.status]}${m.skill.prerequisites.length ? `, after ${m.skill.prerequisites.map((p) => byId.get(p)?.skill.title ?? p).join(' and ')}` : ''}.`,
        )
        .join(' '),
    )}</desc>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrowhead"/></marker></defs>',
    `<style>${svgStyle}</style>`,
    ...edges,
    ...nodes,
    '</svg>',
  ].join('\n');
}

const svgStyle = [
  '.path-graph{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}',
  '.edge{fill:none;stroke:var(--muted,#4a5568);stroke-width:1.5;opacity:.55}',
  '.edge-done{stroke:var(--good,#276749);opacity:.8}',
  '.arrowhead{fill:var(--muted,#4a5568)}',
  '.skill rect{fill:var(--card,#f7fafc);stroke:var(--muted,#4a5568);stroke-opacity:.45;stroke-width:1.5}',
  // Translucent fills keep the page's text colour readable in light and dark themes.
  '.skill.done rect{fill:var(--good,#276749);fill-opacity:.16;stroke:var(--good,#276749)}',
  '.skill.in-progress rect{fill:#d69e2e;fill-opacity:.2;stroke:#b7791f}',
  '.skill.next rect{stroke:var(--accent,#2b6cb0);stroke-opacity:1;stroke-width:3.5}',
  '.label{font-size:13px;font-weight:600;fill:var(--fg,#1a202c)}',
  '.detail{font-size:11px;fill:var(--muted,#4a5568)}',
  '.skill.next .detail{fill:var(--accent,#2b6cb0);font-weight:600}',
].join('');

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
