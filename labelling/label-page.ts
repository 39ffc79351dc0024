import { createHash } from 'node:crypto';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const style = `
body{font:16px/1.5 system-ui,sans-serif;margin:0 auto;max-width:52rem;padding:1rem;color:#1b1b1b;background:#fafafa}
header{display:flex;justify-content:space-between;gap:1rem;align-items:baseline}
h1{font-size:1.2rem;margin:.2rem 0}
#progress{font-variant-numeric:tabular-nums;color:#444}
#context{border-collapse:collapse;width:100%;margin:1rem 0;background:#fff}
#context th{text-align:left;color:#555;font-weight:600;width:12rem;padding:.4rem;border-bottom:1px solid #ddd;vertical-align:top}
#context td{padding:.4rem;border-bottom:1px solid #ddd;white-space:pre-wrap;word-break:break-word}
#suggestion{margin:.5rem 0;min-height:1.5rem}
#keys{display:flex;flex-wrap:wrap;gap:.5rem;padding:0;list-style:none}
#keys li{border:1px solid #888;border-radius:.3rem;padding:.2rem .6rem;background:#fff}
#keys li.on{background:#1b5e20;color:#fff}
kbd{font:600 .9rem ui-monospace,monospace}
#status{color:#444;min-height:1.5rem}
#status.error{color:#b00020}
details{margin-top:1rem}
`;

// The page's whole behaviour. Item fields are scraped data and may be hostile: they are only ever
// set with textContent, never parsed as HTML.
const script = `
const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let task, item, shownAt = 0, busy = false, chosen = new Set();
const history = []; let at = -1;
function status(text, error) { $('status').textContent = text; $('status').className = error ? 'error' : ''; }
async function call(method, path, body) {
  const response = await fetch(path, { method, headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  const data = await response.json();
  if (!response.ok) throw new Error(data.code + ': ' + data.message + (data.hint ? ' → ' + data.hint : ''));
  return data;
}
const who = () => params.get('annotator') || task.annotator;
function labelText(label) { return Array.isArray(label) ? label.join(' + ') : label; }
function show(next) {
  if (next.progress) $('progress').textContent = next.progress.labelled + ' / ' + next.progress.total + ' labelled';
  if (next.done) { item = undefined; $('context').replaceChildren(); $('suggestion').textContent = ''; status('All items are labelled. Backspace undoes the last label.'); document.body.dataset.item = ''; return; }
  item = next; chosen = new Set(Array.isArray(next.current) ? next.current : []);
  const rows = Object.entries(next.item.context).map(([field, value]) => {
    const tr = document.createElement('tr'); const th = document.createElement('th'); const td = document.createElement('td');
    th.textContent = field; td.textContent = value === null ? '—' : String(value); tr.append(th, td); return tr;
  });
  $('context').replaceChildren(...rows);
  $('suggestion').textContent = next.suggestion ? 'Suggestion (Enter): ' + labelText(next.suggestion.label) + ' — ' + Math.round(next.suggestion.confidence * 100) + '% (' + next.suggestion.source + ')' : 'No suggestion.';
  status(next.current !== undefined ? 'Labelled ' + labelText(next.current) + '. A key relabels it.' : '');
  for (const li of $('keys').children) li.classList.toggle('on', chosen.has(li.dataset.label));
  document.body.dataset.item = next.item.id;
  shownAt = performance.now();
}
async function nextItem() {
  const next = await call('GET', '/api/next?annotator=' + encodeURIComponent(who()));
  if (!next.done) { history.splice(at + 1); history.push(next.item.id); at = history.length - 1; }
  show(next);
}
async function submit(label, suggestion) {
  const body = { item: item.item.id, label, annotator: who(), timeMs: Math.round(performance.now() - shownAt), round: item.round };
  if (item.suggestion) body.suggestion = item.suggestion;
  const result = await call('POST', '/api/labels', body);
  document.body.dataset.labelled = String(result.progress.labelled);
  $('progress').textContent = result.progress.labelled + ' / ' + result.progress.total + ' labelled';
  if (at < history.length - 1) { at++; show(await call('GET', '/api/items/' + encodeURIComponent(history[at]) + '?annotator=' + encodeURIComponent(who()))); return; }
  const next = result.next;
  if (!next.done) { history.splice(at + 1); history.push(next.item.id); at = history.length - 1; }
  show(next);
}
async function onKey(event) {
  if (!task || event.ctrlKey || event.metaKey || event.altKey) return;
  const label = task.keyToLabel[event.key];
  if (event.key === 'Backspace') {
    event.preventDefault();
    const result = await call('POST', '/api/undo', { annotator: who() });
    if (!result.undone) { status('Nothing to undo.'); return; }
    history.splice(at + 1); history.push(result.next.item.id); at = history.length - 1;
    show(result.next); status('Undid ' + labelText(result.undone.label) + ' on this item.');
    return;
  }
  if (event.key === 'ArrowLeft' || event.key === 'ArrowUp') {
    event.preventDefault(); if (at <= 0) return; at--;
    show(await call('GET', '/api/items/' + encodeURIComponent(history[at]) + '?annotator=' + encodeURIComponent(who()))); return;
  }
  if (event.key === 'ArrowRight' || event.key === 'ArrowDown') {
    event.preventDefault();
    if (at < history.length - 1) { at++; show(await call('GET', '/api/items/' + encodeURIComponent(history[at]) + '?annotator=' + encodeURIComponent(who()))); }
    else await nextItem();
    return;
  }
  if (!item) return;
  if (event.key === 'Enter') {
    event.preventDefault();
    if (task.multiLabel && chosen.size) return submit([...chosen]);
    if (item.suggestion) return submit(item.suggestion.label);
    status('No suggestion to accept: press a label key.'); return;
  }
  if (label === undefined) return;
  event.preventDefault();
  if (task.multiLabel) {
    if (chosen.has(label)) chosen.delete(label); else chosen.add(label);
    for (const li of $('keys').children) li.classList.toggle('on', chosen.has(li.dataset.label));
    status('Enter records ' + ([...chosen].join(' + ') || 'nothing') + '.'); return;
  }
  return submit(label);
}
document.addEventListener('keydown', (event) => {
  if (busy) { event.preventDefault(); return; }
  busy = true;
  onKey(event).catch((error) => status(error.message, true)).finally(() => { busy = false; });
});
(async () => {
  task = await call('GET', '/api/task');
  task.keyToLabel = Object.fromEntries(task.classes.map((c) => [c.key, c.name]));
  $('title').textContent = task.title;
  $('guidelines-version').textContent = 'Guidelines ' + task.guidelines.version;
  $('guidelines').textContent = task.guidelines.text;
  $('keys').replaceChildren(...task.classes.map((c) => {
    const li = document.createElement('li'); const kbd = document.createElement('kbd');
    kbd.textContent = c.key; li.dataset.label = c.name; li.append(kbd, ' ' + c.name); return li;
  }));
  await nextItem();
  document.body.dataset.ready = 'true';
})().catch((error) => status(error.message, true));
`;

const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The Content-Security-Policy of the page: only its own inline script and style, and calls to its own origin. */
export const pageSecurityPolicy = [
  "default-src 'none'",
  `script-src ${hash(script)}`,
  `style-src ${hash(style)}`,
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** The labelling page: no framework, one inline script; the task's title is escaped. */
export function labelPage(title: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · mlfolio label</title>
<style>${style}</style>
</head>
<body>
<header><h1 id="title">${escapeHtml(title)}</h1><span id="progress" aria-live="polite"></span></header>
<table id="context" aria-label="Item"></table>
<p id="suggestion"></p>
<ul id="keys" aria-label="Keys"></ul>
<p id="status" role="status"></p>
<p><kbd>Enter</kbd> accepts the suggestion · <kbd>Backspace</kbd> undoes · <kbd>←</kbd> <kbd>→</kbd> move</p>
<details><summary id="guidelines-version">Guidelines</summary><p id="guidelines"></p></details>
<script>${script}</script>
</body>
</html>
`;
}
