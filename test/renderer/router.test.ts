import { describe, expect, it } from 'vitest';
import { createMemoryHistory } from 'vue-router';
import { makeRouter } from '../../src-renderer/router';
import { idList, idParam, paths } from '../../src-renderer/router/paths';

const router = makeRouter(createMemoryHistory());
const at = (to: Parameters<typeof router.resolve>[0]) => router.resolve(to);

describe('URLs of the screens', () => {
  it('every builder resolves to its screen and back to the same URL', () => {
    expect(at(paths.run(12))).toMatchObject({ name: 'run', fullPath: '/runs/12', params: { id: '12' } });
    expect(at(paths.runs())).toMatchObject({ name: 'runs', fullPath: '/runs' });
    expect(at(paths.compare([3, 5]))).toMatchObject({ name: 'compare', fullPath: '/compare?runs=3,5' });
    expect(at(paths.compare())).toMatchObject({ name: 'compare', fullPath: '/compare' });
    expect(at(paths.datasets(4))).toMatchObject({ name: 'datasets', fullPath: '/datasets/4' });
    expect(at(paths.datasets())).toMatchObject({ name: 'datasets', fullPath: '/datasets' });
    expect(at(paths.newRun({ dataset: 3, from: 12 }))).toMatchObject({ name: 'new-run', fullPath: '/new?dataset=3&from=12' });
    expect(at(paths.newRun())).toMatchObject({ name: 'new-run', fullPath: '/new' });
    // a sweep id may hold any character
    const s = at(paths.sweeps('ab/c d'));
    expect(s).toMatchObject({ name: 'sweeps', params: { sweepId: 'ab/c d' } });
    expect(at(s.fullPath)).toMatchObject({ name: 'sweeps', params: { sweepId: 'ab/c d' } });
    expect(at(paths.sweeps())).toMatchObject({ name: 'sweeps', fullPath: '/sweeps' });
  });
  it('a run page belongs to the Runs section and gets its id as a number', () => {
    const r = at('/runs/7');
    expect(r.meta.section).toBe('runs');
    const props = r.matched[0]!.props.default as (x: typeof r) => unknown;
    expect(props(r)).toEqual({ runId: 7 });
  });
  it('unknown or malformed paths fall back to the datasets screen', async () => {
    const r = makeRouter(createMemoryHistory());
    for (const bad of ['/nonsense', '/runs/abc', '/runs/-3', '/']) {
      const resolved = r.resolve(bad);
      expect(resolved.name ?? resolved.redirectedFrom, bad).not.toBe('run');
      expect(resolved.matched.some((m) => m.redirect !== undefined), bad).toBe(true);
    }
  });
  it('ids from parameters: positive integers only, in order, once', () => {
    expect(idParam('12')).toBe(12);
    expect(idParam(['5', '6'])).toBe(5);
    for (const bad of ['0', '-1', '1.5', 'x', '', undefined, null, '99999999999999999999']) expect(idParam(bad)).toBeNull();
    expect(idList({ runs: '3,5,x,3,0,9' })).toEqual([3, 5, 9]);
    expect(idList({ runs: ['3', '4,5'] })).toEqual([3, 4, 5]);
    expect(idList({})).toEqual([]);
  });
});
