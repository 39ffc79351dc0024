import { describe, expect, it } from 'vitest';
import { warmUpRender } from '../../publish/warm-up-render.ts';

describe('the site build warm-up', () => {
  it('draws its chart and card, and leaves the globals Astro reads as they were', async () => {
    const before = Object.getOwnPropertyNames(Set.prototype).sort();
    expect(await warmUpRender()).toEqual({});
    // Vega-Lite assigns Set.prototype.toJSON; loaded before Astro's bookkeeping of the bundle, it
    // made the build look for a file named "toJSON". The warm-up must not load it.
    expect(Object.getOwnPropertyNames(Set.prototype).sort()).toEqual(before);
  });
});
