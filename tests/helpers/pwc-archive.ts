import { parquetWriteBuffer } from 'hyparquet-writer';

/**
 * Parquet files in the schema of the Papers with Code archive on the Hub (`pwc-archive/links-between-paper-and-code`,
 * as the issue lists it): `paper_url, paper_title, paper_arxiv_id, paper_url_abs, paper_url_pdf, repo_url,
 * is_official, mentioned_in_paper, mentioned_in_github, framework`. Every row is made up (synthetic URLs, no
 * real paper or repository), for tests, the demo and the benchmark.
 */
export interface LinkRow {
  paper_url: string | null;
  paper_title?: string | null;
  paper_arxiv_id: string | null;
  repo_url: string | null;
  is_official?: boolean | null;
  framework: string | null;
}

const STRING_COLUMNS = ['paper_url', 'paper_title', 'paper_arxiv_id', 'paper_url_abs', 'paper_url_pdf', 'repo_url'] as const;
const FLAG_COLUMNS = ['is_official', 'mentioned_in_paper', 'mentioned_in_github'] as const;

export function linksParquet(rows: readonly LinkRow[], options: { rowGroupSize?: number } = {}): Uint8Array {
  const full = rows.map((r) => ({
    paper_url: r.paper_url,
    paper_title: r.paper_title ?? (r.paper_url ? `Synthetic paper ${r.paper_url.split('/').at(-1)}` : null),
    paper_arxiv_id: r.paper_arxiv_id,
    paper_url_abs: r.paper_arxiv_id ? `https://arxiv.org/abs/${r.paper_arxiv_id}` : null,
    paper_url_pdf: r.paper_arxiv_id ? `https://arxiv.org/pdf/${r.paper_arxiv_id}` : null,
    repo_url: r.repo_url,
    is_official: r.is_official ?? true,
    mentioned_in_paper: false,
    mentioned_in_github: true,
    framework: r.framework,
  }));
  const columnData = [
    ...STRING_COLUMNS.map((name) => ({ name, data: full.map((r) => r[name]), type: 'STRING' as const, nullable: true })),
    ...FLAG_COLUMNS.map((name) => ({ name, data: full.map((r) => r[name]), type: 'BOOLEAN' as const, nullable: true })),
    { name: 'framework', data: full.map((r) => r.framework), type: 'STRING' as const, nullable: true },
  ];
  const buffer = parquetWriteBuffer({ columnData, rowGroupSize: options.rowGroupSize ?? 1000 });
  return new Uint8Array(buffer);
}

/**
 * The test archive: every case the collector must handle, with the counts it should find (see the test).
 * 2019-Q2: paper A (pytorch, two links to one repo: a duplicate; and a tf repo: two frameworks), paper B (tf),
 * paper C (framework missing), paper D (`none`). 2024-Q3: paper E (pytorch, id with a version suffix), paper F
 * (jax). Left out: G (no arXiv id), H (old-style id), I (after the archive's end). One row lacks its repo.
 */
export function testArchiveRows(): LinkRow[] {
  const paper = (id: string) => `https://paperswithcode.com/paper/synthetic-${id}`;
  const repo = (id: string) => `https://github.com/synthetic/${id}`;
  return [
    { paper_url: paper('a'), paper_arxiv_id: '1904.00001', repo_url: repo('a-torch'), framework: 'pytorch' },
    { paper_url: paper('a'), paper_arxiv_id: '1904.00001', repo_url: repo('a-torch'), framework: 'pytorch' },
    { paper_url: paper('a'), paper_arxiv_id: '1904.00001', repo_url: repo('a-tf'), framework: 'tf' },
    { paper_url: paper('b'), paper_arxiv_id: '1905.00002', repo_url: repo('b'), framework: 'tf' },
    { paper_url: paper('c'), paper_arxiv_id: '1906.00003', repo_url: repo('c'), framework: null },
    { paper_url: paper('d'), paper_arxiv_id: '1906.00004v3', repo_url: repo('d'), framework: 'none' },
    { paper_url: paper('e'), paper_arxiv_id: '2407.00005v2', repo_url: repo('e'), framework: 'pytorch' },
    { paper_url: paper('f'), paper_arxiv_id: '2408.00006', repo_url: repo('f'), framework: 'jax' },
    { paper_url: paper('g'), paper_arxiv_id: null, repo_url: repo('g'), framework: 'pytorch' },
    { paper_url: paper('g'), paper_arxiv_id: '', repo_url: repo('g2'), framework: 'tf' },
    { paper_url: paper('h'), paper_arxiv_id: 'cs/0112017', repo_url: repo('h'), framework: 'pytorch' },
    { paper_url: paper('i'), paper_arxiv_id: '2508.00007', repo_url: repo('i'), framework: 'pytorch' },
    { paper_url: paper('j'), paper_arxiv_id: '2407.00008', repo_url: null, framework: 'pytorch' },
  ];
}

/**
 * `n` synthetic links spread over 2016-Q1..2025-Q3 like the real archive's growth (more papers each year,
 * PyTorch taking over from TensorFlow), 1 to 3 links per paper; deterministic.
 */
export function syntheticLinks(n: number, seed = 1): LinkRow[] {
  let state = seed;
  const random = () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
  const months: string[] = [];
  for (let y = 16; y <= 25; y++) for (let m = 1; m <= 12 && (y < 25 || m <= 7); m++) months.push(`${y}${String(m).padStart(2, '0')}`);
  // Later months weigh more: the archive grows every year.
  const weights = months.map((_, i) => (i + 6) ** 1.6);
  const total = weights.reduce((a, b) => a + b, 0);
  const pickMonth = () => {
    let r = random() * total;
    for (let i = 0; i < months.length; i++) {
      r -= weights[i]!;
      if (r <= 0) return i;
    }
    return months.length - 1;
  };
  const rows: LinkRow[] = [];
  let paperNo = 0;
  while (rows.length < n) {
    const m = pickMonth();
    const progress = m / (months.length - 1);
    const id = `${months[m]}.${String(10_000 + (paperNo % 89_999)).padStart(5, '0')}`;
    const paper = `https://paperswithcode.com/paper/synthetic-${paperNo++}`;
    const links = 1 + Math.floor(random() * 3);
    // PyTorch from 2 % to 70 % of papers, TensorFlow from 48 % to 3 %; the rest `none`, JAX or missing. A
    // paper's further links mostly share its framework (a re-implementation sometimes picks another).
    const pick = () => {
      const r = random();
      const torch = 0.02 + 0.68 * progress;
      const tf = 0.03 + 0.45 * (1 - progress);
      return r < torch ? 'pytorch' : r < torch + tf ? 'tf' : r < 0.9 ? 'none' : r < 0.95 ? 'jax' : null;
    };
    const own = pick();
    const missingId = random() < 0.02;
    for (let k = 0; k < links && rows.length < n; k++) {
      rows.push({
        paper_url: paper,
        paper_arxiv_id: missingId ? null : id,
        repo_url: `https://github.com/synthetic-${Math.floor(random() * 1000)}/repo-${paperNo}-${k}`,
        framework: k === 0 || random() < 0.8 ? own : pick(),
      });
    }
  }
  return rows;
}
