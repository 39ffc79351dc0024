import { type Check, type CheckOutcome, digitsFor, fail, interval, pass, withRun } from '../check.ts';
import { placeholderLines, proseWords, type Section, sectionsOf } from '../mdx-sections.ts';
import type { TextFile } from '../project-evidence.ts';

export const impactQuantified: Check = {
  id: 'impact-quantified',
  run: (evidence) =>
    withRun(evidence, (run) => {
      const impact = run.impact;
      if (!impact) {
        return fail(
          `Declare the decision the forecasts support and what each outcome is worth, then rerun \`mlfolio run ${evidence.slug} --force\` so the run measures the model's policy against the status quo with an interval.`,
          `Run ${run.runId} records no impact: its value is stated only as scores.`,
        );
      }
      const gains = impact.gains.filter((gain) => gain.difference.lower !== undefined);
      if (!gains.length) {
        return fail(
          'Measure the gain of the model policy over the status quo with a paired interval, so the reader sees whether the value is real.',
          `Impact of "${impact.decision}" is recorded without an interval on any gain.`,
        );
      }
      return pass(
        impact.headline,
        `Decision: ${impact.decision}; status quo: ${impact.statusQuo}; unit: ${impact.unit}.`,
        ...gains.map(
          (gain) =>
            `${gain.policy} over ${gain.over}: ${interval(gain.difference, digitsFor(gain.difference.value))} ${impact.unit}${gain.distinguishable ? '' : ' (not distinguishable from zero)'}.`,
        ),
      );
    }),
};

/**
 * The sections a writeup needs. The question, the data and the impact are on the project page
 * already (from project.yaml and the run); these are the parts the builder argues.
 */
export const writeupSections = [
  { label: 'Approach', pattern: /approach|method|how it works/i },
  { label: 'Results', pattern: /results?\b|evaluation/i },
  { label: 'Trade-offs', pattern: /trade.?offs?|choices|alternatives/i },
  { label: 'Error analysis', pattern: /error analysis|where it (fails|goes wrong)|failure|slices/i },
  { label: 'Limitations', pattern: /limitation|caveat|risks?\b|what could go wrong/i },
  { label: 'Next steps', pattern: /\bnext\b|do better|improve|future|more time/i },
] as const;
const minimumSectionWords = 25;

export const writeupComplete: Check = {
  id: 'writeup-complete',
  run: ({ writeup, slug, specFile, specText }) => {
    if (writeup.text === undefined) {
      return fail(
        `Create ${writeup.file} with the sections ${writeupSections.map((s) => `"${s.label}"`).join(', ')} (\`mlfolio new\` scaffolds one).`,
        `Project ${slug} has no writeup.`,
      );
    }
    const sections = sectionsOf(writeup.text);
    const found: string[] = [];
    const problems: string[] = [];
    for (const required of writeupSections) {
      const section = sections.find((s) => required.pattern.test(s.heading));
      if (!section) {
        problems.push(`no "${required.label}" section`);
        continue;
      }
      const words = proseWords(section.body);
      const generated = generatedParts(section.body);
      if (words < minimumSectionWords && !generated.length) {
        problems.push(
          `"${section.heading}" (line ${section.line}) has ${words} words (write at least ${minimumSectionWords}, or use a section component that quotes the run)`,
        );
      } else {
        found.push(
          `"${section.heading}" (line ${section.line}, ${words} words${generated.length ? `, ${generated.join(', ')} from the run` : ''})`,
        );
      }
    }
    const unfinished = placeholderLines(specText ?? '');
    if (unfinished.length) {
      problems.push(
        `${specFile} still has TODO placeholders on line(s) ${unfinished.join(', ')}, shown on the project page`,
      );
    }
    return verdictFor(writeup, found, problems, 'Write the sections of');
  },
};

const walkthroughParts = {
  pitch: { label: '30-second pitch', pattern: /30.?second|pitch|elevator/i, words: [20, 100] },
  story: { label: '2-minute story', pattern: /2.?minute|two.?minute|story/i, words: [80, 400] },
  questions: { label: 'Deep-dive questions', pattern: /deep.?dive|questions/i, words: [0, Infinity] },
} as const;
const minimumQuestions = 3;
const minimumAnswerWords = 15;

export const walkthroughReady: Check = {
  id: 'walkthrough-ready',
  run: ({ walkthrough, slug }) => {
    if (walkthrough.text === undefined) {
      return fail(
        `Create ${walkthrough.file} with a "30-second pitch", a "2-minute story" and "Deep-dive questions" (one ### heading per question, answered with measured numbers).`,
        `Project ${slug} has no interview walkthrough.`,
      );
    }
    const sections = sectionsOf(walkthrough.text);
    const found: string[] = [];
    const problems: string[] = [];
    for (const part of [walkthroughParts.pitch, walkthroughParts.story]) {
      const section = sections.find((s) => part.pattern.test(s.heading));
      if (!section) {
        problems.push(`no "${part.label}" section`);
        continue;
      }
      const words = proseWords(section.body);
      const [least, most] = part.words;
      if (words < least) problems.push(`the ${part.label} has ${words} words (write at least ${least})`);
      else if (words > most)
        problems.push(`the ${part.label} has ${words} words; cut it to ${most} or fewer`);
      else found.push(`${part.label}: ${words} words (line ${section.line})`);
    }
    const questions = deepDiveQuestions(sections);
    if (!questions) {
      problems.push(`no "${walkthroughParts.questions.label}" section`);
    } else {
      const answered = questions.filter(
        (q) => proseWords(q.body) >= minimumAnswerWords || generatedParts(q.body).length > 0,
      );
      const grounded = answered.filter(
        (q) => generatedParts(q.body).length > 0 || /\{[^}/][^}]*\}/.test(q.body),
      );
      if (answered.length < minimumQuestions) {
        problems.push(
          `${answered.length} deep-dive question(s) answered in ${minimumAnswerWords}+ words or by a component that quotes the run (answer at least ${minimumQuestions})`,
        );
      } else if (!grounded.length) {
        problems.push(
          'no deep-dive answer cites a recorded number; use <Metric …/> so answers rest on the run',
        );
      } else {
        found.push(
          `${answered.length} deep-dive questions answered, ${grounded.length} citing recorded numbers`,
        );
      }
    }
    return verdictFor(walkthrough, found, problems, 'Complete');
  },
};

/** Components in `body` (<Metric … />, <TradeOffs />, …): parts the site generates from the recorded run. */
function generatedParts(body: string): string[] {
  const withoutComments = body.replace(/\{\/\*[\s\S]*?\*\/\}/g, ' ');
  return [
    ...new Set([...withoutComments.matchAll(/<([A-Z][A-Za-z0-9]*)[\s/>]/g)].map((match) => `<${match[1]!}>`)),
  ];
}

/** The sub-sections under the deep-dive heading, one per question; undefined when there is no such heading. */
function deepDiveQuestions(sections: readonly Section[]): Section[] | undefined {
  const start = sections.findIndex((s) => walkthroughParts.questions.pattern.test(s.heading));
  if (start < 0) return undefined;
  const level = sections[start]!.level;
  const questions: Section[] = [];
  for (const section of sections.slice(start + 1)) {
    if (section.level <= level) break;
    questions.push(section);
  }
  return questions;
}

function verdictFor(file: TextFile, found: string[], problems: string[], action: string): CheckOutcome {
  const placeholders = placeholderLines(file.text ?? '');
  if (placeholders.length) {
    problems.push(`TODO placeholders remain on line(s) ${placeholders.join(', ')}`);
  }
  if (problems.length) {
    return fail(
      `${action} ${file.file} as listed above, replacing every TODO placeholder with your own words.`,
      ...found.map((entry) => `Found ${entry}.`),
      ...problems.map((problem) => `Missing: ${problem}.`),
    );
  }
  return pass(...found.map((entry) => `Found ${entry}.`));
}
