import type { Progress } from '../portfolio/progress.ts';

/**
 * Progress on stderr: a redrawn line on a terminal, plain lines elsewhere (CI logs), so stdout
 * stays clean for data that commands print.
 */
export function terminalProgress(stream: NodeJS.WriteStream = process.stderr, prefix = ''): Progress {
  const tty = stream.isTTY === true;
  let lastStepLine = 0;
  let pending = false;
  const clear = () => {
    if (tty && pending) stream.write('\r\x1b[2K');
    pending = false;
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
        pending = done < total;
        if (!pending) stream.write('\n');
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
