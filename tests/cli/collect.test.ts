import { describe, expect, it } from 'vitest';
import { collectorOutcome, declaredEnv, problemSummary, runRedactor } from '../../src/cli/collect.js';
import { COLLECTORS } from '../../src/core/registry.js';

describe('src/cli/collect', () => {
  it('calls a collector failed, not partial, when its problems left nothing stored', () => {
    expect(collectorOutcome(0, 0)).toBe('success');
    expect(collectorOutcome(0, 12)).toBe('success');
    expect(collectorOutcome(2, 10)).toBe('partial');
    expect(collectorOutcome(64, 0)).toBe('failed');
  });

  it('keeps the message status shows to the first problem and a count', () => {
    expect(problemSummary([])).toBeNull();
    expect(problemSummary(['PyTorch 2015: refused'])).toBe('PyTorch 2015: refused');
    expect(problemSummary(['a', 'b', 'c'])).toBe("a; and 2 more (see the run's log)");
    expect(problemSummary(['a', 'b', 'c'], 2)).toBe("a; b; and 1 more (see the run's log)");
  });

  it('redacts every declared secret, the ones credentials() does not send included', () => {
    const env = { HF_TOKEN: 'hf_currentTokenValue', HUGGING_FACE_HUB_TOKEN: 'hf_legacyTokenValue', NCBI_EMAIL: 'me@example.org' };
    const redact = runRedactor(COLLECTORS, env).text;
    expect(redact('hf_currentTokenValue hf_legacyTokenValue me@example.org')).toBe('*** *** ***');
  });

  it('gives a collector only the environment variables it declares', () => {
    const hub = COLLECTORS.find((c) => c.id === 'huggingface')!;
    const env = declaredEnv(hub, { HF_ENDPOINT: 'http://mirror', NCBI_API_KEY: 'not-yours', PATH: '/bin' });
    expect(env.HF_ENDPOINT).toBe('http://mirror');
    expect(Object.keys(env)).not.toContain('NCBI_API_KEY');
    expect(Object.keys(env)).not.toContain('PATH');
  });
});
