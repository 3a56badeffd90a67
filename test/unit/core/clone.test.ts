import { describe, expect, it } from 'vitest';
import { cloneJson } from '../../../core/calcs/index.js';

describe('cloneJson', () => {
  it('copies plain JSON deeply: equal, and no object or array shared with the original', () => {
    const original = { a: 1, s: 'x', b: true, n: null, list: [1, [2, { c: 3 }]], nested: { route: { p: [1, 2, 3], z: null } } };
    const copy = cloneJson(original);
    expect(copy).toEqual(original);
    copy.list.push(4);
    (copy.list[1] as [number, { c: number }])[1].c = 9;
    copy.nested.route.p[0] = 7;
    expect(original).toEqual({ a: 1, s: 'x', b: true, n: null, list: [1, [2, { c: 3 }]], nested: { route: { p: [1, 2, 3], z: null } } });
  });

  it('returns primitives as they are', () => {
    expect([cloneJson(5), cloneJson('t'), cloneJson(null), cloneJson(false)]).toEqual([5, 't', null, false]);
  });
});
