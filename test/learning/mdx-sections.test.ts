import { describe, expect, it } from 'vitest';
import { placeholderLines, proseWords, sectionsOf } from '../../learning/audit/mdx-sections.ts';

describe('reading writeup sections', () => {
  it('splits by headings with their lines, ignoring front matter and headings inside code fences', () => {
    const text = [
      '---',
      'title: x',
      '---',
      '## Approach',
      'Some words here.',
      '```sh',
      '## not a heading',
      '```',
      '### Detail ###',
      'More.',
    ].join('\n');
    const sections = sectionsOf(text);
    expect(sections.map((s) => [s.heading, s.level, s.line])).toEqual([
      ['Approach', 2, 4],
      ['Detail', 3, 9],
    ]);
    expect(sections[0]!.body).toContain('## not a heading');
  });

  it('counts prose words, not MDX comments, imports or markup', () => {
    const body = [
      "import Chart from '../Chart.astro';",
      '{/* TODO: write this */}',
      'The model scores <Metric model="best" name="rps" /> on **one** season.',
    ].join('\n');
    expect(proseWords(body)).toBe(6);
  });

  it('finds TODO placeholders by line', () => {
    expect(placeholderLines('a\n{/* TODO: x */}\nb\nTODO\n')).toEqual([2, 4]);
    expect(placeholderLines('todos are fine in prose, as is TODOLIST')).toEqual([]);
  });
});
