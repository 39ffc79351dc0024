// A real process that labels items as fast as it can and prints each acknowledged item id, so a
// test can SIGKILL it mid-stream and check every acknowledged label survived.
import { LabelStore } from '../../../labelling/label-store.ts';
import { loadTaskFile } from '../../../labelling/load-task.ts';

const [taskDir, logPath, durability] = process.argv.slice(2) as [string, string, 'fsync' | 'write'];
const task = await loadTaskFile(taskDir);
const store = await LabelStore.open(task, logPath, { durability });
let i = 0;
for (;;) {
  const item = task.items[i % task.items.length]!;
  store.submit({
    item: item.id,
    label: task.classes[i % task.classes.length],
    annotator: 'writer',
    timeMs: i,
  });
  process.stdout.write(`${item.id} ${i}\n`);
  i++;
  if (i % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
}
