/**
 * The only client-side JavaScript on the site: reads the embedded data, recomputes the prediction
 * whenever the form changes, and writes it into the markup the build rendered. Large model
 * artifacts are fetched from this site the first time they are picked. Text goes in through
 * textContent only, never as HTML.
 */
import type { ModelArtifact } from '../../pipelines/models/artifact.ts';
import { type DemoData, predictFixture } from './fixture-prediction.ts';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const points = (p: number) => `${p >= 0 ? '+' : '−'}${Math.abs(p * 100).toFixed(1)} pp`;
const trend = (p: number) => (p > 0.0005 ? 'up' : p < -0.0005 ? 'down' : '');

function start(): void {
  const dataElement = document.getElementById('demo-data');
  const form = document.getElementById('demo-form') as HTMLFormElement | null;
  const result = document.getElementById('demo-result');
  if (!dataElement || !form || !result) return;
  const data = JSON.parse(dataElement.textContent ?? '{}') as DemoData;
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  const status = document.getElementById('demo-status');
  const say = (text: string) => {
    if (status) status.textContent = text;
  };
  let latest = 0;

  const load = async (modelId: string): Promise<void> => {
    const model = data.models.find((m) => m.id === modelId);
    if (!model || model.artifact) return;
    say(`Loading ${model.label} (${Math.round(model.sizeBytes / 1024)} KiB)…`);
    const response = await fetch(model.href);
    if (!response.ok) throw new Error(`${model.href} answered ${response.status}`);
    model.artifact = (await response.json()) as ModelArtifact;
  };

  const render = (home: string, away: string, modelId: string, date: string) => {
    const { explanation, features } = predictFixture(data, modelId, home, away, date);
    explanation.probabilities.forEach((p, k) => {
      const row = document.querySelector<HTMLElement>(`[data-class-index="${k}"]`);
      if (!row) return;
      row.dataset.probability = String(p);
      row.querySelector('.prob-value')!.textContent = percent(p);
      row.querySelector('.prob-bar-fill')!.setAttribute('width', (p * 100).toFixed(2));
    });
    const body = document.getElementById('contributions-body');
    if (body) {
      const rows = [...explanation.contributions].sort(
        (a, b) =>
          Math.abs(b.probabilities[0]! - b.probabilities[2]!) -
          Math.abs(a.probabilities[0]! - a.probabilities[2]!),
      );
      body.replaceChildren(
        ...rows.map((c) => {
          const tr = document.createElement('tr');
          const name = document.createElement('th');
          name.scope = 'row';
          name.textContent = c.feature;
          const value = document.createElement('td');
          value.className = 'num';
          value.textContent = (features[c.feature] ?? c.value).toFixed(2);
          tr.append(name, value);
          for (const p of c.probabilities) {
            const cell = document.createElement('td');
            cell.className = `num ${trend(p)}`;
            cell.textContent = points(p);
            tr.append(cell);
          }
          return tr;
        }),
      );
    }
    result.setAttribute('data-fixture', `${home}|${away}|${modelId}|${date}`);
  };

  const update = async () => {
    const request = ++latest;
    const home = field('home').value;
    const away = field('away').value;
    const modelId = field('model').value;
    const date = field('date').value || data.defaults.date;
    if (home === away) {
      say('Pick two different teams.');
      return;
    }
    try {
      await load(modelId);
      // A newer choice was made while this model loaded: let that one render.
      if (request !== latest) return;
      say('');
      render(home, away, modelId, date);
    } catch (error) {
      say(`Could not compute this prediction: ${(error as Error).message}`);
    }
  };

  form.addEventListener('input', () => void update());
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void update();
  });
  document.getElementById('demo-swap')?.addEventListener('click', () => {
    const home = field('home').value;
    field('home').value = field('away').value;
    field('away').value = home;
    void update();
  });
  form.dataset.ready = 'true';
  // The build rendered the default fixture; recompute only if the browser restored other choices.
  const current = `${field('home').value}|${field('away').value}|${field('model').value}|${field('date').value}`;
  if (current !== result.getAttribute('data-fixture')) void update();
}

start();
