import { describe, expect, it } from 'vitest';
import { limitHeapGrowth } from '../../src/cli/serverMode.ts';

describe('HEAP_GROWTH_PERCENT', () => {
  it('0 leaves V8’s own policy', () => {
    expect(limitHeapGrowth(0, [])).toBe(false);
  });

  it('an operator’s own --heap-growing-percent wins, from the command line or NODE_OPTIONS', () => {
    expect(limitHeapGrowth(50, ['--heap-growing-percent=80'])).toBe(false);
    expect(limitHeapGrowth(50, ['--max-old-space-size=512 --heap_growing_percent=30'])).toBe(false);
  });

  it('otherwise sets the growth bound', () => {
    // 300: the most lenient bound, so this test process is barely affected.
    expect(limitHeapGrowth(300, ['--max-old-space-size=512', ''])).toBe(true);
  });
});
