import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { terminalProgress } from '../../cli/terminal-progress.ts';

/** A stream that records what was written, a terminal or not. */
function recorder(isTTY: boolean): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  }) as unknown as NodeJS.WriteStream;
  stream.isTTY = isTTY;
  return { stream, text: () => text };
}

describe('terminalProgress', () => {
  it('on a terminal, a line from one project clears the step line another left half drawn', () => {
    const { stream, text } = recorder(true);
    const a = terminalProgress(stream, '[a] ');
    const b = terminalProgress(stream, '[b] ');
    a.step(1, 4, 'training');
    b.stage('features', '10 views');
    // The half-drawn step of [a] is erased before [b]'s line, so [b]'s line starts at column 0.
    expect(text()).toBe(
      '\r\x1b[2K[a]   [#####...............] 1/4 training\r\x1b[2K[b] ▸ features — 10 views\n',
    );
    b.info('done');
    // Nothing left to clear: no second erase.
    expect(text().endsWith('10 views\n[b]   done\n')).toBe(true);
  });

  it('on a terminal, a finished step ends its line for everyone', () => {
    const { stream, text } = recorder(true);
    const a = terminalProgress(stream, '[a] ');
    const b = terminalProgress(stream, '[b] ');
    a.step(4, 4);
    b.info('next');
    expect(text()).toBe('\r\x1b[2K[a]   [####################] 4/4\n[b]   next\n');
  });

  it('off a terminal, writes whole lines only', () => {
    const { stream, text } = recorder(false);
    const a = terminalProgress(stream, '[a] ');
    a.step(1, 4, 'training');
    a.stage('evaluate');
    expect(text()).toBe('[a]   [#####...............] 1/4 training\n[a] ▸ evaluate\n');
    expect(text()).not.toContain('\x1b');
  });
});
