import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { describeIssues } from '../../serving/request-issues.ts';

describe('describing request issues', () => {
  test('a received value too deeply nested to stringify is shown as […], not a stack overflow', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const schema = z.strictObject({ a: z.number() });
    const issues = schema.safeParse(deep, { reportInput: true }).error!.issues;
    expect(describeIssues(schema, issues, 'body')).toEqual([
      { field: 'body', message: 'expected object, received […].' },
    ]);
  });
});
