import { afterEach, describe, expect, it } from 'vitest';
import { exactQuery } from '../../collectors/huggingface/count-exact.js';
import { huggingface } from '../../collectors/huggingface/index.js';
import type { HfFrameworkPart, HfSourcePart } from '../../collectors/huggingface/index.js';
import type { Observation } from '../../src/core/observation.js';
import type { Clock } from '../../src/http/limiter.js';
import { createTestContext, type TestContextOptions } from '../helpers/context.js';
import {
  hfConfig,
  pairedModels,
  startHfServer,
  tooManyRequests,
  type HfFault,
  type HfRequestInfo,
  type HfServer,
  type HfServerOptions,
} from '../helpers/hf-server.js';

const collector = huggingface;
const PYTORCH = exactQuery(['pytorch']);
const TF = exactQuery(['tf']);
const BOTH = exactQuery(['pytorch', 'tf']);
/** 2,500 pytorch models (3 pages of 1,000), 700 tf, 200 both, all created in 2024-01. */
const MODELS = pairedModels(['pytorch', 'tf'], { a: 2_500, b: 700, both: 200 });
/** Observations one exact count stores: its total, and its months (`undated`, then 2024-01 to the as-of month 2024-07). */
const PER_COUNT = 1 + 1 + 7;
/** A page entry as the collector asks for them. */
const entry = (id: string) => ({ id, createdAt: '2024-01-01T00:00:00.000Z' });

let server: HfServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** Virtual time: sleeping advances the clock at once, so a 56 s RateLimit wait takes no wall-clock time. */
function virtualClock(): Clock & { sleeps: number[] } {
  let offset = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => Date.now() + offset,
    sleep: async (ms) => {
      sleeps.push(ms);
      offset += ms;
      await new Promise((resolve) => setImmediate(resolve));
    },
  };
}

/** A fault on the first attempt of one page of one listing. */
function onPage(queryKey: string, page: number, fault: HfFault, attempts = 1): (req: HfRequestInfo) => HfFault | undefined {
  return (req) => (req.queryKey === queryKey && req.page === page && req.attempt <= attempts ? fault : undefined);
}

async function collectWith(options: HfServerOptions, context: Partial<TestContextOptions<HfFrameworkPart, HfSourcePart>> = {}) {
  server = await startHfServer({ models: MODELS, ...options });
  const clock = virtualClock();
  const test = createTestContext({ collector, config: hfConfig(), clock, ...context, env: server.env(context.env) });
  // A count that fails is one of the summary's problems (the collector throws only when the whole source must stop).
  const summary = await huggingface.collect(test.ctx);
  const values = Object.fromEntries(
    test
      .observations()
      .filter((o: Observation) => o.metric === 'models')
      .map((o: Observation) => [`${o.method}:${o.subject}`, o.value]),
  );
  return { summary, problems: summary.problems, message: summary.problems.join('; '), ...test, values, clock, hub: server };
}

const ALL_EXACT = { 'exact:pytorch': 2_500, 'exact:tf': 700, 'exact:pytorch+tf': 200 };

describe('collectors/huggingface/index (faults)', () => {
  it('a 429 with Retry-After mid-pagination is waited out and the count completes', async () => {
    const { summary, values, clock, hub, log } = await collectWith({ faultFor: onPage(PYTORCH, 2, tooManyRequests({ retryAfter: 3 })) });
    expect(summary.stored).toBe(3 * PER_COUNT);
    expect(values).toEqual(ALL_EXACT);
    expect(clock.sleeps.some((ms) => ms >= 3_000)).toBe(true);
    expect(hub.requests.filter((r) => r.queryKey === PYTORCH)).toHaveLength(4);
    expect(log.lines.some((l) => /debug .*HTTP 429; retry 1\/5/.test(l))).toBe(true);
  });

  it('a 429 with the Hub RateLimit header waits t+1 s and the count completes', async () => {
    const { summary, values, clock } = await collectWith({ faultFor: onPage(PYTORCH, 3, tooManyRequests({ rateLimitReset: 55 })) });
    expect(summary.stored).toBe(3 * PER_COUNT);
    expect(values).toEqual(ALL_EXACT);
    expect(clock.sleeps.some((ms) => ms >= 56_000)).toBe(true);
  });

  it('a bare 429 and a 503 are retried with backoff', async () => {
    const faults = (req: HfRequestInfo): HfFault | undefined =>
      onPage(PYTORCH, 2, tooManyRequests(), 2)(req) ?? onPage(TF, 1, { kind: 'status', status: 503 })(req);
    const { summary, values } = await collectWith({ faultFor: faults });
    expect(summary.stored).toBe(3 * PER_COUNT);
    expect(values).toEqual(ALL_EXACT);
  });

  it('a stalled answer times out, is retried and the count completes', async () => {
    const { summary, values } = await collectWith({ faultFor: onPage(TF, 1, { kind: 'stall' }) }, { timeoutMs: 300 });
    expect(summary.stored).toBe(3 * PER_COUNT);
    expect(values).toEqual(ALL_EXACT);
  });

  const malformed: Array<[string, HfFault, RegExp]> = [
    ['a non-array page', { kind: 'non-array' }, /page 2: body is an object, not an array of models/],
    ['an entry without id', { kind: 'missing-id', index: 17 }, /page 2: entry 17 of 1000 has no string "id"/],
    ['a Link loop', { kind: 'link-loop', to: 'first' }, /page 2: Link next URL loops back to a page already read/],
    ['truncated JSON', { kind: 'truncated' }, /page 2: body is not JSON \(starts "\[\{\\"_id\\":/],
    ['an HTML error page', { kind: 'html' }, /page 2: body is not JSON \(starts "<!DOCTYPE html>/],
  ];

  for (const [name, fault, reason] of malformed) {
    it(`${name} fails that count with a one-line error, stores nothing for it and keeps the others`, async () => {
      const { problems, summary, values } = await collectWith({ faultFor: onPage(PYTORCH, 2, fault) });
      expect(values).toEqual({ 'exact:tf': 700, 'exact:pytorch+tf': 200 });
      expect(summary.stored).toBe(2 * PER_COUNT);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^pytorch \\(exact\\): ${escapeRegExp(PYTORCH)}: page 2: `));
      expect(problems[0]).toMatch(reason);
      expect(problems[0]).not.toContain('\n');
    });
  }

  it('an entry without an ISO createdAt fails that count, so no model drops out of the months unseen', async () => {
    const { problems, values, observations } = await collectWith({
      faultFor: (req) =>
        req.queryKey === TF && req.page === 1
          ? { kind: 'status', status: 200, body: JSON.stringify([entry('a'), { id: 'b', createdAt: '15/01/2024' }, { id: 'c' }]) }
          : undefined,
    });
    expect(values).toEqual({ 'exact:pytorch': 2_500, 'exact:pytorch+tf': 200 });
    expect(problems).toEqual([
      `tf (exact): ${TF}: page 1: entry 1 of 3 (b) has no ISO date-time "createdAt" with a time zone (got "15/01/2024")`,
    ]);
    expect(observations().filter((o) => o.subject === 'tf')).toEqual([]);
  });

  it('a Link loop to the same page is caught too', async () => {
    const { message, values } = await collectWith({ faultFor: onPage(TF, 1, { kind: 'link-loop' }) });
    expect(values).toEqual({ 'exact:pytorch': 2_500, 'exact:pytorch+tf': 200 });
    expect(message).toContain(`tf (exact): ${TF}: page 1: Link next URL loops back`);
  });

  it('a loop through the same page with reordered parameters, or a cursor that does not advance, is caught', async () => {
    const reordered = await collectWith({
      faultFor: (req) =>
        req.queryKey === TF && req.page === 1
          ? {
              kind: 'status',
              status: 200,
              headers: {
                link: `<${server!.url}/api/models?limit=1000&expand=createdAt&direction=-1&sort=createdAt&filter=tf>; rel="next"`,
              },
              body: JSON.stringify([entry('a')]),
            }
          : undefined,
    });
    expect(reordered.message).toContain(`${TF}: page 1: Link next URL loops back to a page already read`);
    await server?.close();

    const stuck = await collectWith({
      faultFor: (req) =>
        req.queryKey === TF
          ? {
              kind: 'status',
              status: 200,
              headers: { link: `<${server!.url}${TF}&cursor=${req.page + 1}>; rel="next"` },
              body: JSON.stringify([entry('a'), entry('b')]),
            }
          : undefined,
    });
    expect(stuck.message).toContain(`${TF}: page 2: every entry was already read on earlier pages`);
    expect(stuck.values).toEqual({ 'exact:pytorch': 2_500, 'exact:pytorch+tf': 200 });
  });

  it('an HTTP error that outlasts the retries fails only its count', async () => {
    const { message, values } = await collectWith({ faultFor: onPage(BOTH, 1, { kind: 'status', status: 502 }, 99) });
    expect(values).toEqual({ 'exact:pytorch': 2_500, 'exact:tf': 700 });
    expect(message).toMatch(
      new RegExp(
        `^pytorch\\+tf \\(exact\\): ${escapeRegExp(BOTH)}: page 1: GET http://127\\.0\\.0\\.1:\\d+${escapeRegExp(BOTH)} failed after 6 attempts: HTTP 502$`,
      ),
    );
  });

  it('a query shared by several counts is made once, and its failure fails each of them, each named', async () => {
    // "Either" = pytorch OR tf. Its intersection with PyTorch reduces to the pytorch query alone.
    const config = hfConfig({
      frameworks: [
        { name: 'PyTorch', huggingface: { tags: ['pytorch'] } },
        { name: 'Either', huggingface: { tags: ['pytorch', 'tf'] } },
      ],
      huggingface: { comparisons: [['PyTorch', 'Either']] },
    });
    const { problems, message, values, hub } = await collectWith({ faultFor: onPage(PYTORCH, 2, { kind: 'non-array' }) }, { config });
    expect(values).toEqual({});
    expect(hub.requests.filter((r) => r.queryKey === PYTORCH)).toHaveLength(2);
    expect(problems.map((p) => p.slice(0, p.indexOf(' (exact): ')))).toEqual(['pytorch', '(pytorch|tf)', 'pytorch+(pytorch|tf)']);
    expect(message.match(/page 2: body is an object/g)).toHaveLength(3);
  });

  it('a Link to another origin is not followed (the token would go with it)', async () => {
    const { message, values } = await collectWith({
      faultFor: (req) =>
        req.queryKey === TF && req.page === 1
          ? { kind: 'status', status: 200, headers: { link: '<https://evil.example/api/models?cursor=x>; rel="next"' }, body: '[]' }
          : undefined,
    });
    expect(values).toEqual({ 'exact:pytorch': 2_500, 'exact:pytorch+tf': 200 });
    expect(message).toContain(`${TF}: page 1: Link next URL points to https://evil.example, not http://127.0.0.1:`);
  });

  it('fast: a models-json answer without numTotalItems fails that count', async () => {
    const { message, values } = await collectWith(
      {
        faultFor: (req) =>
          req.path === '/models-json' && req.query.get('library') === 'tf'
            ? { kind: 'status', status: 200, body: JSON.stringify({ models: [], numItemsPerPage: 30, pageIndex: 0 }) }
            : undefined,
      },
      { options: { 'hf-method': 'fast' } },
    );
    expect(values).toEqual({ 'fast:pytorch': 2_500, 'fast:pytorch+tf': 200 });
    expect(message).toContain('tf (fast): /models-json?library=tf&p=0&withCount=true: page 1: body has no whole-number "numTotalItems"');
  });

  it('both: a failed fast count still stores the exact one, and no disagreement is reported for it', async () => {
    const { problems, summary, values } = await collectWith(
      {
        faultFor: (req) =>
          req.path === '/models-json' && req.query.get('library') === 'pytorch' ? { kind: 'html', status: 200 } : undefined,
      },
      { options: { 'hf-method': 'both' } },
    );
    expect(values).toEqual({ ...ALL_EXACT, 'fast:tf': 700, 'fast:pytorch+tf': 200 });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('pytorch (fast): /models-json?library=pytorch&p=0&withCount=true: page 1: body is not JSON');
    expect(summary.warnings.some((w) => w.includes('differ by'))).toBe(false);
  });
});

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
