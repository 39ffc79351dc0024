/**
 * The only client-side JavaScript on the site: reads the embedded data, recomputes the prediction
 * whenever the form changes, and writes it into the markup the build rendered. Text goes in through
 * textContent only, never as HTML.
 */
import { type DemoData, predictFixture } from './fixture-prediction.ts';

const percent = (p: number) => `${(p * 100).toFixed(1)}%`;
const points = (p: number) => `${p >= 0 ? '+' : '−'}${Math.abs(p * 100).toFixed(1)} pp`;

function start(): void {
  const dataElement = document.getElementById('demo-data');
  const form = document.getElementById('demo-form') as HTMLFormElement | null;
  if (!dataElement || !form) return;
  const data = JSON.parse(dataElement.textContent ?? '{}') as DemoData;
  const field = (name: string) => form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;
  const status = document.getElementById('demo-status');

  const update = () => {
    const home = field('home').value;
    const away = field('away').value;
    const date = field('date').value || data.defaults.date;
    if (status) status.textContent = home === away ? 'Pick two different teams.' : '';
    if (home === away) return;
    const { explanation, features } = predictFixture(data, field('model').value, home, away, date);
    explanation.probabilities.forEach((p, k) => {
      const row = document.querySelector<HTMLElement>(`[data-class-index="${k}"]`);
      if (!row) return;
      row.dataset.probability = String(p);
      row.querySelector('.prob-value')!.textContent = percent(p);
      row.querySelector('.prob-bar-fill')!.setAttribute('width', (p * 100).toFixed(2));
    });
    const body = document.getElementById('contributions-body');
    if (!body) return;
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
          cell.className = `num ${p > 0.0005 ? 'up' : p < -0.0005 ? 'down' : ''}`;
          cell.textContent = points(p);
          tr.append(cell);
        }
        return tr;
      }),
    );
    document
      .getElementById('demo-result')
      ?.setAttribute('data-fixture', `${home}|${away}|${field('model').value}|${date}`);
  };

  form.addEventListener('input', update);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    update();
  });
  document.getElementById('demo-swap')?.addEventListener('click', () => {
    const home = field('home').value;
    field('home').value = field('away').value;
    field('away').value = home;
    update();
  });
  form.dataset.ready = 'true';
  // The build rendered the default fixture; recompute only if the browser restored other choices.
  const current = `${field('home').value}|${field('away').value}|${field('model').value}|${field('date').value}`;
  if (current !== document.getElementById('demo-result')?.getAttribute('data-fixture')) update();
}

start();
