import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { currentApiDocs } from '../../scripts/api-docs.js';

describe('docs/api.md', () => {
  it('matches the routes and schemas (run `npm run docs:api` after changing the API)', () => {
    expect(readFileSync(new URL('../../docs/api.md', import.meta.url), 'utf8')).toBe(currentApiDocs());
  });
});
