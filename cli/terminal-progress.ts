import type { Progress } from '../portfolio/progress.ts';

/**
 * Streams with a step line drawn and not yet finished. Shared by every progress writing to the
 * stream: projects that run concurrently (`mlfolio start`) take turns on the one redrawn line, and
 * whichever writes a whole line first clears the other's half-drawn step.
 */
const drawing = new WeakSet<NodeJS.WriteStream>();

/**
 * Progress on stderr: a redrawn line on a terminal, plain lines elsewhere (CI logs), so stdout
 * stays clean for data that commands print.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, prefix = ''): Progress {
  const tty = stream.isTTY === true;
  let lastStepLine = 0;
  const clear = () => {
    if (tty && drawing.has(stream)) stream.write('\r\x1b[2K');
    drawing.delete(stream);
  };
  return {
    stage(name, detail) {
      clear();
      stream.write(`${prefix}▸ ${name}${detail ? ` — ${detail}` : ''}\n`);
    },
    step(done, total, label) {
      const line = `${prefix}  ${bar(done, total)} ${done}/${total}${label ? ` ${label}` : ''}`;
      if (tty) {
        stream.write(`\r\x1b[2K${line}`);
        if (done < total) drawing.add(stream);
        else {
          drawing.delete(stream);
          stream.write('\n');
        }
      } else if (done === total || Date.now() - lastStepLine > 2000) {
        lastStepLine = Date.now();
        stream.write(`${line}\n`);
      }
    },
    info(message) {
      clear();
      stream.write(`${prefix}  ${message}\n`);
    },
    warn(message) {
      clear();
      stream.write(`${prefix}  ⚠ ${message}\n`);
    },
  };
}

function bar(done: number, total: number, width = 20): string {
  const filled = total > 0 ? Math.round((done / total) * width) : width;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}
