import { describe, expect, it } from 'vitest';
import { focusAreas } from '../../learning/path/project-ideas.ts';
import { bundledDataTemplates } from '../../templates/template-kinds.ts';

describe('project ideas', () => {
  it.each(['football', 'baseball'])(
    'for %s, recommend only templates that run offline on shipped data',
    (id) => {
      const area = focusAreas.find((a) => a.id === id)!;
      const templates = area.ideas.map((idea) => idea.template);
      expect(templates.filter((t) => !bundledDataTemplates.includes(t))).toEqual(
        id === 'baseball' ? ['stats-table'] : [],
      );
    },
  );
});
