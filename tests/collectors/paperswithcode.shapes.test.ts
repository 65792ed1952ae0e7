import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDatasetEntry } from '../../collectors/paperswithcode/dataset-api.js';

const fixture = (name: string) => JSON.parse(readFileSync(join(import.meta.dirname, '../../fixtures/paperswithcode', name), 'utf8'));

describe('fixtures/paperswithcode shapes', () => {
  it("reads the commit and the file's size and digest from the dataset API entry", () => {
    const { response } = fixture('api-datasets.blobs.json');
    expect(parseDatasetEntry(JSON.stringify(response.body), 'data/train-00000-of-00001.parquet')).toEqual({
      id: 'pwc-archive/links-between-paper-and-code',
      sha: '0123456789abcdef0123456789abcdef01234567',
      files: ['.gitattributes', 'README.md', 'data/train-00000-of-00001.parquet'],
      file: { size: 31457280, sha256: '5e1b2b0c4f6a7d8e9f00112233445566778899aabbccddeeff00112233445566' },
    });
  });

  it('takes the size from lfs when the sibling has none, and refuses an answer without a sha', () => {
    const { response } = fixture('api-datasets.blobs.json');
    const body = structuredClone(response.body);
    delete body.siblings[2].size;
    expect(parseDatasetEntry(JSON.stringify(body), 'data/train-00000-of-00001.parquet').file?.size).toBe(31457280);
    delete body.sha;
    expect(() => parseDatasetEntry(JSON.stringify(body), 'data/train-00000-of-00001.parquet')).toThrow(/no commit sha/);
    expect(() => parseDatasetEntry('<html>', 'x')).toThrow(/not JSON: <html>/);
  });
});
