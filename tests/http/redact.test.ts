import { describe, expect, it } from 'vitest';
import { createRedactor } from '../../src/http/redact.js';

describe('src/http/redact', () => {
  const redactor = createRedactor(['ncbiSECRETkey0987654321', 'someone@example.org'], ['api_key', 'email']);

  it('replaces secret values, plain and URL-encoded, in free text', () => {
    expect(redactor.text('key ncbiSECRETkey0987654321 for someone%40example.org')).toBe('key *** for ***');
  });

  it('drops private parameters from URLs and keeps the rest', () => {
    expect(redactor.url('https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi?db=pubmed&api_key=x&email=y&term=a')).toBe(
      'https://eutils.ncbi.nlm.nih.gov/entrez/eutils/esearch.fcgi?db=pubmed&term=a',
    );
  });

  it('hides credentials written into an endpoint URL', () => {
    expect(redactor.text('GET https://alice:hunter2@mirror.example/api/models?limit=1 failed')).toBe(
      'GET https://***@mirror.example/api/models?limit=1 failed',
    );
    expect(redactor.url('http://tok3n@127.0.0.1:8080/api/models')).toBe('http://***@127.0.0.1:8080/api/models');
    expect(redactor.text('mail someone at a@b.org, see https://example.org/x@y')).toBe(
      'mail someone at a@b.org, see https://example.org/x@y',
    );
  });
});
