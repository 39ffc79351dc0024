/**
 * The version 2 demo in the browser: reads the embedded data, recomputes the feature row and the
 * forecast whenever the form changes, and writes them into the markup the build rendered. A model
 * too large to embed is fetched from this site once. Text goes in through textContent only, never
 * as HTML: entity keys and descriptions are scraped data.
 */
import type { TaskArtifact } from '../../pipelines/tasks/models/forecast.ts';
import {
  type DeclaredDemoData,
  type DemoRequest,
  forecastSummary,
  formatEstimate,
  formatFeatureValue,
  formatPercent,
  predictEvent,
} from './declared-demo.ts';

function start(): void {
  const dataElement = document.getElementById('declared-demo-data');
  const form = document.getElementById('declared-demo-form') as HTMLFormElement | null;
  const result = document.getElementById('declared-demo-result');
  if (!dataElement || !form || !result) return;
  const data = JSON.parse(dataElement.textContent ?? '{}') as DeclaredDemoData;
  const status = document.getElementById('declared-demo-status');
  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  const input = (name: string) => form.elements.namedItem(name) as HTMLInputElement | null;
  let artifact: Promise<TaskArtifact> | undefined = data.model.artifact
    ? Promise.resolve(data.model.artifact)
    : undefined;
  const loadArtifact = () => {
    artifact ??= fetch(data.model.href).then(async (response) => {
      if (!response.ok) throw new Error(`${data.model.href} answered ${response.status}`);
      return (await response.json()) as TaskArtifact;
    });
    return artifact;
  };
  let latest = 0;

  const read = (): DemoRequest => {
    const entities = Object.fromEntries(
      data.roles.map(({ role }) => [role, input(`entity:${role}`)?.value.trim() ?? '']),
    );
    const columns = Object.fromEntries(
      data.columns.map((column) => {
        const field = input(`column:${column.column}`);
        return [column.column, column.type === 'boolean' ? Boolean(field?.checked) : (field?.value ?? '')];
      }),
    );
    const entered = Object.fromEntries(
      data.formulas
        .filter((formula) => formula.unsupported)
        .map((formula) => {
          const text = input(`formula:${formula.feature}`)?.value ?? '';
          return [formula.feature, text === '' ? null : Number(text)];
        }),
    );
    return { time: input('time')?.value.trim() ?? data.defaults.time, entities, columns, entered };
  };

  const render = (prediction: Awaited<ReturnType<typeof predictEvent>>) => {
    const { forecast, row, features } = prediction;
    result.dataset.forecast = JSON.stringify(forecast);
    result.dataset.row = JSON.stringify(features.map((f) => f.value));
    if (forecast?.kind === 'probabilities') {
      forecast.p.forEach((p, k) => {
        const item = result.querySelector<HTMLElement>(`[data-class-index="${k}"]`);
        if (!item) return;
        item.querySelector('.prob-value')!.textContent = formatPercent(p);
        item.querySelector('.prob-bar-fill')!.setAttribute('width', (p * 100).toFixed(2));
      });
    } else {
      const summary = forecast ? forecastSummary(forecast) : null;
      const set = (name: string, text: string) => {
        const cell = result.querySelector(`[data-estimate="${name}"]`);
        if (cell) cell.textContent = text;
      };
      const range = (pair: [number, number]) => `${formatEstimate(pair[0])} to ${formatEstimate(pair[1])}`;
      set('mean', summary ? formatEstimate(summary.mean) : '—');
      set('interval80', summary ? range(summary.interval80) : '—');
      set('interval95', summary ? range(summary.interval95) : '—');
    }
    const stale = new Map(row.stale.map((s) => [s.feature, s]));
    for (const tr of result.querySelectorAll<HTMLTableRowElement>('tr[data-feature]')) {
      const feature = tr.dataset.feature!;
      const [value, asOf, freshness] = [...tr.cells].slice(1);
      const flag = stale.get(feature);
      tr.classList.toggle('stale', Boolean(flag));
      value!.textContent = formatFeatureValue(row.values[feature]);
      asOf!.textContent = row.asOf[feature] ?? '—';
      freshness!.textContent = flag ? `stale: ${flag.age} ${flag.unit} old, TTL ${flag.ttl}` : 'fresh';
    }
  };

  const update = async () => {
    const request = ++latest;
    const asked = read();
    const unknown = data.roles
      .filter(
        ({ role, entity }) =>
          data.plan.outputs.some((output) => output.role === role) &&
          !(data.store.keys[entity] ?? []).includes(asked.entities[role]!),
      )
      .map(
        ({ role, entity }) =>
          `${role}: no ${entity} "${asked.entities[role]}" in the store, so its features are each view's prior`,
      );
    try {
      const model = await loadArtifact();
      // A newer change was made while the model loaded: let that one render.
      if (request !== latest) return;
      const prediction = await predictEvent(data, model, asked);
      if (request !== latest) return;
      render(prediction);
      result.dataset.request = JSON.stringify(asked);
      const notes = [...unknown];
      if (prediction.missing.length)
        notes.push(`No forecast: no value for ${prediction.missing.join(', ')}.`);
      say(notes.join(' '));
    } catch (error) {
      say(`Could not compute this forecast: ${(error as Error).message}`);
    }
  };

  form.addEventListener('input', () => void update());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void update();
  });
  form.dataset.ready = 'true';
  // The build rendered the defaults; recompute at once, in case the browser restored other values.
  void update();
}

start();
