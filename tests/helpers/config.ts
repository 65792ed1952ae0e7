/**
 * The article's three frameworks as a config file holds them (Hub tags, PubMed terms, the PyTorch vs
 * TensorFlow comparison), for CLI tests; each test chooses its PubMed years.
 */
export function articleConfig(pubmed: { fromYear: number; toYear?: number }) {
  return {
    frameworks: [
      { name: 'PyTorch', huggingface: { tags: ['pytorch'] }, pubmed: { term: 'pytorch' } },
      { name: 'TensorFlow', huggingface: { tags: ['tf'] }, pubmed: { term: 'tensorflow' } },
      { name: 'Keras', huggingface: { tags: ['keras'] }, pubmed: { term: 'keras' } },
    ],
    huggingface: { comparisons: [['PyTorch', 'TensorFlow']] },
    pubmed,
  };
}
