import { describe, expect, it } from 'vitest';
import { DEFAULT_FRAMEWORK_PARTS, parseFrameworkPart, parseSourcePart } from '../../collectors/huggingface/config.js';
import { huggingface } from '../../collectors/huggingface/index.js';
import { ConfigError } from '../../src/config/validate.js';
import { hfConfig } from '../helpers/hf-server.js';

const P = 'frameworks[0].huggingface';
/** The built-in frameworks, each with its Hub part, as the config loader hands them to parseSourcePart. */
const FOUR = Object.entries(DEFAULT_FRAMEWORK_PARTS).map(([name, part]) => ({ name, part: parseFrameworkPart(part, name) }));
const NAMES = FOUR.map((f) => f.name);

function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('collectors/huggingface/config', () => {
  it('parses one tag, alternatives and AND-sets into tag sets', () => {
    expect(parseFrameworkPart({ tags: ['pytorch'] }, P)).toEqual({ tags: [['pytorch']] });
    expect(parseFrameworkPart({ tags: [['pytorch']] }, P)).toEqual({ tags: [['pytorch']] });
    expect(parseFrameworkPart({ tags: [['pytorch'], ['safetensors', 'transformers']] }, P)).toEqual({
      tags: [['pytorch'], ['safetensors', 'transformers']],
    });
    expect(parseFrameworkPart({ tags: ['pytorch', ['safetensors', 'transformers']] }, P)).toEqual({
      tags: [['pytorch'], ['safetensors', 'transformers']],
    });
    // Tags such as license:mit or base_model:… are valid.
    expect(parseFrameworkPart({ tags: [['license:mit', 'base_model:org/x']] }, P).tags).toEqual([['license:mit', 'base_model:org/x']]);
  });

  it.each([
    [{ tag: ['pytorch'] }, `config key ${P}.tag is not known; allowed here: tags`],
    [{}, `config key ${P}.tags is missing`],
    ['pytorch', `config key ${P}: expected an object, got the string "pytorch"`],
    [{ tags: 'pytorch' }, `config key ${P}.tags: expected an array, got the string "pytorch"`],
    [{ tags: [] }, `config key ${P}.tags: expected at least one tag or tag list, got an array`],
    [{ tags: [[]] }, `config key ${P}.tags[0]: expected a tag or a non-empty list of tags that must all be present, got an array`],
    [{ tags: ['pytorch', 3] }, `config key ${P}.tags[1]: expected a tag or a list of tags that must all be present, got number 3`],
    [{ tags: [['safetensors', '']] }, `config key ${P}.tags[0][1]: expected a non-empty string`],
    [{ tags: [['safetensors', 'a,b']] }, `config key ${P}.tags[0][1]: expected a Hub tag without spaces or any of , + & | ( )`],
    [{ tags: ['pytorch', ['pytorch']] }, `config key ${P}.tags[1]: the alternative ["pytorch"] appears twice`],
  ])('rejects framework part %j naming the key', (value, message) => {
    expect(configError(() => parseFrameworkPart(value, P))).toContain(message);
  });

  it('applies defaults to the top-level section: PyTorch vs TensorFlow only when both have Hub tags', () => {
    expect(parseSourcePart(undefined, 'huggingface', FOUR, NAMES)).toEqual({ comparisons: [['PyTorch', 'TensorFlow']], method: 'exact' });
    expect(parseSourcePart({}, 'huggingface', FOUR, NAMES)).toEqual({ comparisons: [['PyTorch', 'TensorFlow']], method: 'exact' });
    expect(parseSourcePart({ method: 'both', comparisons: [['PyTorch', 'JAX', 'Keras']] }, 'huggingface', FOUR, NAMES)).toEqual({
      comparisons: [['PyTorch', 'JAX', 'Keras']],
      method: 'both',
    });
    // Names are matched case-insensitively and kept in the frameworks' own spelling.
    expect(parseSourcePart({ comparisons: [['pytorch', 'JAX']] }, 'huggingface', FOUR, NAMES).comparisons).toEqual([['PyTorch', 'JAX']]);
    // Without TensorFlow (or without Hub tags for it) there is no built-in comparison; an empty list is valid.
    expect(parseSourcePart(undefined, 'huggingface', FOUR.slice(0, 1), NAMES).comparisons).toEqual([]);
    expect(parseSourcePart({ comparisons: [] }, 'huggingface', FOUR, NAMES).comparisons).toEqual([]);
  });

  it.each([
    [{ methods: 'fast' }, 'config key huggingface.methods is not known; allowed here: comparisons, method'],
    [{ method: 'quick' }, 'config key huggingface.method: expected one of exact, fast, both, got the string "quick"'],
    [{ comparisons: ['PyTorch', 'TensorFlow'] }, 'config key huggingface.comparisons[0]: expected an array, got the string "PyTorch"'],
    [{ comparisons: [['PyTorch']] }, 'config key huggingface.comparisons[0]: expected at least 2 framework names'],
    [{ comparisons: [['PyTorch', 'pytorch']] }, 'config key huggingface.comparisons[0]: expected distinct framework names'],
    [{ comparisons: [['PyTorch', 7]] }, 'config key huggingface.comparisons[0][1]: expected a non-empty string, got number 7'],
    [[], 'config key huggingface: expected an object, got an array'],
  ])('rejects source part %j naming the key', (value, message) => {
    expect(configError(() => parseSourcePart(value, 'huggingface', FOUR, NAMES))).toContain(message);
  });

  it('checks that compared frameworks exist and have a huggingface part', () => {
    expect(configError(() => hfConfig({ huggingface: { comparisons: [['PyTorch', 'MXNet']] } }))).toContain(
      'config key huggingface.comparisons[0][1]: framework "MXNet" is not defined',
    );
    const frameworks = [{ name: 'PyTorch', huggingface: { tags: ['pytorch'] } }, { name: 'TensorFlow' }];
    expect(configError(() => hfConfig({ frameworks, huggingface: { comparisons: [['PyTorch', 'TensorFlow']] } }))).toContain(
      'config key huggingface.comparisons[0][1]: framework "TensorFlow" has no huggingface part',
    );
    // Not asked for explicitly: TensorFlow measured elsewhere only is fine, and the Hub has nothing to compare.
    expect(hfConfig({ frameworks }).sources.huggingface).toEqual({ comparisons: [], method: 'exact' });
  });

  it('supplies the built-in framework parts, which parse', () => {
    expect(huggingface.defaultFrameworkParts).toBe(DEFAULT_FRAMEWORK_PARTS);
    const parsed = Object.fromEntries(
      Object.entries(huggingface.defaultFrameworkParts).map(([name, part]) => [name, parseFrameworkPart(part, name)]),
    );
    expect(parsed).toEqual({
      PyTorch: { tags: [['pytorch']] },
      TensorFlow: { tags: [['tf']] },
      Keras: { tags: [['keras']] },
      JAX: { tags: [['jax']] },
    });
  });
});
