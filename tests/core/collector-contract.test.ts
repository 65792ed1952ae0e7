import { describe, expect, it } from 'vitest';
import { COLLECTORS, type RegisteredCollector } from '../../src/registry.js';
import {
  contractProblems,
  coreImportsAbove,
  filesNamingSources,
  readmeEnvironmentVariables,
  registryProblems,
} from '../helpers/collector-contract.js';

// README "Adding a source" is the checklist; this holds every registered collector to it.
describe('every registered collector keeps the contract of README "Adding a source"', () => {
  for (const collector of COLLECTORS) {
    it(`${collector.id}: folder, README, fixtures README, demo recording, default config, unique names, known series kinds`, () => {
      expect(contractProblems(collector, COLLECTORS)).toEqual([]);
    });
  }

  it('the registry is alphabetical, and no two sources write the same report key or files', () => {
    expect(registryProblems(COLLECTORS)).toEqual([]);
  });

  it('no file under src/ but the registry names a source', () => {
    expect(filesNamingSources(COLLECTORS)).toEqual([]);
    // The check can fail: a word that does occur under src/ is found.
    expect(filesNamingSources([{ id: 'Series' } as RegisteredCollector])).toContain('src/core/series.ts');
  });

  it('src/core/ imports nothing above it: kinds register where analysis and reports live, sources in src/registry.ts', () => {
    expect(coreImportsAbove()).toEqual([]);
  });

  it("README's environment table lists exactly the variables the collectors declare", () => {
    const declared = [...new Set(COLLECTORS.flatMap((c) => c.env.map((v) => v.name)))].sort();
    expect(readmeEnvironmentVariables().sort()).toEqual(declared);
  });

  it('fails a collector that lacks a piece, naming each', () => {
    const [real] = COLLECTORS as readonly [RegisteredCollector];
    const incomplete: RegisteredCollector = {
      ...real,
      id: 'nowhere',
      env: [
        { name: 'HF_TOKEN', description: 'declared, but not as a secret as the Hub does' },
        { name: 'lower_case', description: 'not a variable name' },
      ],
      options: [{ name: 'timeout', description: 'the tool has one already' }],
      series: (parts) =>
        real.series(parts).map((s) => ({ ...s, kind: 'weekly-count' }) as unknown as ReturnType<RegisteredCollector['series']>[number]),
    };
    const problems = contractProblems(incomplete, [...COLLECTORS, incomplete]);
    for (const missing of [
      'collectors/nowhere/index.ts is missing',
      'collectors/nowhere/README.md is missing',
      'fixtures/nowhere/README.md',
      'fixtures/demo-replay/nowhere/ holds no demo recording',
      'declares series kind "weekly-count", which no analyzer knows',
      'reads source',
      'option --timeout is one of the tool',
      'environment variable HF_TOKEN means something else to',
      'environment variable lower_case is not an upper-case name',
    ]) {
      expect(problems.join('\n')).toContain(missing);
    }
    expect(registryProblems([...COLLECTORS, incomplete])).not.toEqual([]);
  });
});
