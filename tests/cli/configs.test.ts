import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, tempWorkdir } from '../helpers/cli.js';
import { type EsearchServer, startEsearchServer } from '../helpers/esearch-server.js';
import { type HfServer, pairedModels, startHfServer } from '../helpers/hf-server.js';
import { startOpenAlexServer } from '../helpers/openalex-server.js';

/*
 * Configurations a user would write, run end to end: a framework needs only the parts of the sources it is
 * measured on, a source no framework has a part for is neither collected nor mentioned, an empty comparison list
 * is valid, and the built-in comparison applies only when both of its frameworks have Hub tags. Test counts.
 */
// A key only to pace at NCBI's 10/s against the local server.
let hub: HfServer;
let ncbi: EsearchServer;
beforeAll(async () => {
  hub = await startHfServer({ models: pairedModels(['pytorch', 'tf'], { a: 30, b: 20, both: 5 }) });
  ncbi = await startEsearchServer({ counts: { pytorch: { 2022: 120, 2023: 180, 2024: 90 }, tensorflow: { 2022: 90, 2023: 80 } } });
});
afterAll(async () => {
  await hub.close();
  await ncbi.close();
});

async function runWith(config: unknown, args: string[] = []) {
  const dir = tempWorkdir('am-configs-');
  writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(config));
  const result = await runCli(['run', '--as-of', '2024-07-20', ...args], {
    cwd: dir,
    env: { ...hub.env(), ...ncbi.env({ NCBI_API_KEY: 'configs-test-key' }) },
  });
  const report = result.code === 2 ? undefined : JSON.parse(readFileSync(join(dir, 'output/report.json'), 'utf8'));
  return { result, report };
}

describe('configurations a user would write (adoption-metrics run)', () => {
  it('the PubMed-only config of collectors/pubmed/README.md runs, with or without --sources pubmed, and says nothing of the Hub', async () => {
    const readme = readFileSync(join(import.meta.dirname, '../../collectors/pubmed/README.md'), 'utf8');
    const config = JSON.parse(/```json\n([\s\S]*?)\n```/.exec(readme)![1]!);
    config.pubmed.fromYear = 2022;
    for (const args of [[], ['--sources', 'pubmed']]) {
      const { result, report } = await runWith(config, args);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr + result.stdout).not.toMatch(/huggingface|Hub/);
      expect(Object.keys(report)).not.toContain('huggingface');
      expect(report.audit).toBeUndefined();
      expect(report.pubmed.series.map((s: { keyword: string }) => s.keyword)).toEqual(['PyTorch']);
    }
  });

  it('naming a source no framework has a part for is a usage error, not a silent empty run', async () => {
    const { result } = await runWith({ frameworks: [{ name: 'PyTorch', pubmed: { term: 'pytorch' } }] }, ['--sources', 'huggingface']);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toMatch(/^error --sources huggingface: no framework in .*adoption\.config\.json has a "huggingface" part/);
  });

  it('a single framework on both sources: PyTorch alone on the Hub has nothing to compare, and PubMed is reported', async () => {
    const { result, report } = await runWith({
      frameworks: [{ name: 'PyTorch', huggingface: { tags: ['pytorch'] }, pubmed: { term: 'pytorch' } }],
      pubmed: { fromYear: 2022 },
    });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toMatch(/info {2}huggingface: nothing to count, no comparison is configured/);
    expect(report.warnings.filter((w: string) => w.startsWith('huggingface'))).toEqual([]);
    expect(report.pubmed.keywords).toEqual(['PyTorch']);
  });

  it('"comparisons": [] is valid, and frameworks without TensorFlow get no built-in comparison', async () => {
    const empty = await runWith({
      frameworks: [
        { name: 'PyTorch', huggingface: { tags: ['pytorch'] }, pubmed: { term: 'pytorch' } },
        { name: 'TensorFlow', huggingface: { tags: ['tf'] }, pubmed: { term: 'tensorflow' } },
      ],
      huggingface: { comparisons: [] },
      pubmed: { fromYear: 2022 },
    });
    expect(empty.result.code, empty.result.stderr).toBe(0);
    expect(Object.keys(empty.report)).not.toContain('huggingface');

    const noTf = await runWith({
      frameworks: [
        { name: 'PyTorch', huggingface: { tags: ['pytorch'] } },
        { name: 'JAX', huggingface: { tags: ['jax'] } },
      ],
    });
    expect(noTf.result.code, noTf.result.stderr).toBe(0);
    // With a comparison that names them, the same frameworks are compared.
    const compared = await runWith({
      frameworks: [
        { name: 'PyTorch', huggingface: { tags: ['pytorch'] } },
        { name: 'TensorFlow', huggingface: { tags: ['tf'] } },
      ],
      huggingface: { comparisons: [['pytorch', 'tensorflow']] },
    });
    expect(compared.result.code, compared.result.stderr).toBe(0);
    expect(compared.report.huggingface.comparisons[0]).toMatchObject({ comparison: 'PyTorch vs TensorFlow', total: 45 });
  });

  it('a year range after the as-of year is never written reversed ("2025–2024") in any line', async () => {
    const openalex = await startOpenAlexServer({ count: () => 1 });
    try {
      const dir = tempWorkdir('am-configs-');
      const config = {
        frameworks: [{ name: 'PyTorch', pubmed: { term: 'pytorch' }, openalex: { term: 'pytorch' } }],
        pubmed: { fromYear: 2025 },
        openalex: { fromYear: 2025 },
      };
      writeFileSync(join(dir, 'adoption.config.json'), JSON.stringify(config));
      const env = { ...ncbi.env({ NCBI_API_KEY: 'configs-test-key' }), ...openalex.env({ OPENALEX_API_KEY: 'configs-test-key' }) };
      const result = await runCli(['run', '-v', '--as-of', '2024-07-20'], { cwd: dir, env });
      const text = `${result.stdout}\n${result.stderr}`;
      // Both refuse a range with no year to count (issue 19): said with both years in order, exit 1, every day.
      expect(result.code).toBe(1);
      expect(text).toMatch(/pubmed\.fromYear 2025 is after the as-of year 2024, so the configured range holds no year to count/);
      expect(text).toMatch(/openalex\.fromYear 2025 is after the as-of year 2024/);
      const reversed = [...text.matchAll(/(\d{4})[–-](\d{4})/g)].filter((m) => Number(m[1]) > Number(m[2])).map((m) => m[0]);
      expect(reversed).toEqual([]);
    } finally {
      await openalex.close();
    }
  });

  it('a config file with a key written twice stops before anything runs: one line naming the key, exit 2', async () => {
    const dir = tempWorkdir('am-configs-');
    writeFileSync(
      join(dir, 'adoption.config.json'),
      '{"frameworks": [{"name": "PyTorch", "pubmed": {"term": "pytorch", "term": "torch"}}]}',
    );
    const result = await runCli(['run', '--as-of', '2024-07-20'], { cwd: dir, env: ncbi.env({ NCBI_API_KEY: 'configs-test-key' }) });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'error adoption.config.json: config key frameworks[0].pubmed.term appears twice (the second on line 1); JSON would keep only the last, so keep one\n',
    );
  });
});
