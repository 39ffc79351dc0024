/** A heading of an MDX or Markdown document and the text under it, up to the next heading of any level. */
export interface Section {
  heading: string;
  level: number;
  /** 1-based line of the heading, for messages that point into the file. */
  line: number;
  body: string;
}

/** Splits a document into sections by its ATX headings (`## Results`), skipping front matter and code fences. */
export function sectionsOf(text: string): Section[] {
  const lines = text.split(/\r?\n/);
  const sections: Section[] = [];
  let current: Section | undefined;
  let inFence = false;
  let start = 0;
  if (lines[0]?.trim() === '---') {
    const end = lines.indexOf('---', 1);
    if (end > 0) start = end + 1;
  }
  for (let i = start; i < lines.length; i++) {
    const line = lines[i]!;
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = inFence ? undefined : /^(#{1,6})\s+(.+?)\s*#*\s*$/.exec(line);
    if (heading) {
      current = { heading: heading[2]!, level: heading[1]!.length, line: i + 1, body: '' };
      sections.push(current);
    } else if (current) {
      current.body += `${line}\n`;
    }
  }
  return sections;
}

/** Words of prose in `body`, leaving out MDX comments, import/export lines and markup. */
export function proseWords(body: string): number {
  const prose = body
    .replace(/\{\/\*[\s\S]*?\*\/\}/g, ' ')
    .replace(/<!--[\s\S]*?-->/g, ' ')
    .replace(/^\s*(import|export)\s.*$/gm, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[#*_`>|[\]()-]/g, ' ');
  return prose.split(/\s+/).filter((word) => /\p{L}|\p{N}/u.test(word)).length;
}

/** Placeholders left by `mlfolio new` that a builder must replace: `TODO` markers. */
export function placeholderLines(text: string): number[] {
  return text.split(/\r?\n/).flatMap((line, i) => (/\bTODO\b/.test(line) ? [i + 1] : []));
}
