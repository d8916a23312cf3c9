// DuckDB as a peer of the workforce engine: the same match and capability-map questions
// (the engine bench prints them with --print-query), asked of DuckDB (2 threads) over the
// same SQLite database exported to CSV with the sqlite3 CLI.
//
//   node bench/peer/peer_duckdb.mjs --db PATH --bench PATHWAY_BINARY [--runs N] [--csv DIR]
//
// Prints one line per scenario and DuckDB variant:
//   peer=duckdb scenario=match median_ms=X engine_median_ms=Y ratio=X/Y same_answer=1
// peer=duckdb asks from the ledger, like the SQL baseline's ledger question (current
// level = the latest confirming assessment, else the latest self-assessment, per person
// and item); the peer=duckdb-current* variants ask a table of current levels
// materialised once after the load (what the engine's index holds), so they time the
// query alone: -current (as loaded) and -sorted (ordered by item, then person) tables,
// with the items named through the requirements CTE (-cte, and plain -current) or
// literally. peer=duckdb-best is the best median among the variants with the engine's
// answer. Each line has the median and best of --runs runs after a first run, which is
// reported apart (first_ms).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

function parseArgs(argv) {
  const args = { runs: 5, engineRuns: 200 };
  for (let i = 2; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--db') args.db = argv[++i];
    else if (a === '--bench') args.bench = argv[++i];
    else if (a === '--runs') args.runs = Number(argv[++i]);
    else if (a === '--engine-runs') args.engineRuns = Number(argv[++i]);
    else if (a === '--csv') args.csv = argv[++i];
    else throw new Error(`unknown argument ${a}`);
  }
  if (!args.db || !args.bench) {
    throw new Error('usage: peer_duckdb.mjs --db PATH --bench BINARY [--runs N] [--csv DIR]');
  }
  args.csv ??= `${args.db}.csv`;
  return args;
}

// key=value pairs of one output line.
function fields(line) {
  const out = {};
  for (const part of line.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

function runEngine(args) {
  const res = spawnSync(
    args.bench,
    ['bench', '--db', args.db, '--no-baseline', '--print-query', '--runs', String(args.engineRuns),
      'match,capmap'],
    { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`engine bench failed: ${res.stderr}`);
  const lines = {};
  for (const line of res.stdout.split('\n')) {
    const first = line.split(' ')[0];
    if (first.startsWith('query_') || first.startsWith('answer_')) lines[first] = fields(line);
    else if (first.startsWith('scenario=')) lines[first.slice(9)] = fields(line);
  }
  return lines;
}

// The tables the questions read, exported once per database file (reused while the
// database's size and mtime are unchanged).
const kTables = {
  assessment: 'SELECT person_id, item_ref_id, seq, level, assessor FROM assessment',
  person: 'SELECT id, profession, grade, location_id, department, post_id FROM person',
  location: 'SELECT id, region FROM location',
  profession: 'SELECT id, code FROM profession',
  post: 'SELECT id, role_level_id, unit_id, location_id, grade FROM post',
  role_level: 'SELECT id, role_id, code FROM role_level',
  career_role: 'SELECT id, job_family_id FROM career_role',
  job_family: 'SELECT id, profession_id FROM job_family',
  role_requirement: 'SELECT role_level_id, item_ref_id, level, weight FROM role_requirement',
};

function exportCsv(args) {
  const stat = fs.statSync(args.db);
  const stamp = `${stat.size} ${stat.mtimeMs}`;
  const stampFile = path.join(args.csv, 'STAMP');
  if (fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === stamp) return 0;
  fs.mkdirSync(args.csv, { recursive: true });
  const start = performance.now();
  for (const [table, sql] of Object.entries(kTables)) {
    const out = fs.openSync(path.join(args.csv, `${table}.csv`), 'w');
    try {
      execFileSync('sqlite3', ['-readonly', '-csv', '-header', args.db, sql],
        { stdio: ['ignore', out, 'inherit'] });
    } finally {
      fs.closeSync(out);
    }
  }
  fs.writeFileSync(stampFile, stamp);
  return performance.now() - start;
}

function median(v) {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

// Times one question: its first run (planning and cold caches) apart, then the median
// and the best of `runs` more. Only the query is timed, from the already-open in-process
// connection: no process start-up, no loading (load and materialise are timed apart).
async function timed(conn, sql, runs) {
  let rows;
  let start = performance.now();
  await conn.runAndReadAll(sql);
  const first = performance.now() - start;
  const times = [];
  for (let i = 0; i < runs; i++) {
    start = performance.now();
    rows = (await conn.runAndReadAll(sql)).getRows();
    times.push(performance.now() - start);
  }
  return { ms: median(times), best: Math.min(...times), first, rows };
}

function requirements(list) {
  return list.split(',').map((r) => r.split(':').map(Number));  // [item_ref_id, level, weight]
}

const kCurrent =
  'ROW_NUMBER() OVER (PARTITION BY a.person_id, a.item_ref_id ' +
  "ORDER BY (a.assessor <> 'self') DESC, a.seq DESC) AS rn";

// The match question: people passing the filters joined to the ledger (or current levels).
// `v` is a variant: { ledger, table, literal }: read the ledger (applying the rule) or a
// table of current levels; name the items literally (`IN (12, 40, ...)`) or through the
// requirements CTE (`IN (SELECT item FROM req)`, which hides the values from DuckDB's
// row-group pruning by min/max).
function itemsOf(q, v) {
  return v.literal ? `(${requirements(q.requirements).map(([i]) => i).join(', ')})`
    : '(SELECT item FROM req)';
}

function matchQuery(q, v) {
  const reqs = requirements(q.requirements);
  const req = reqs.map(([i, l, w]) => `(${i}, ${l}, ${w})`).join(', ');
  const items = itemsOf(q, v);
  const cur = v.ledger
    ? `cur AS (SELECT person_id, item, level FROM (SELECT a.person_id, a.item_ref_id AS item,
        a.level, ${kCurrent} FROM people JOIN assessment a ON a.person_id = people.id
        WHERE a.item_ref_id IN ${items}) WHERE rn = 1)`
    : `cur AS (SELECT a.person_id, a.item_ref_id AS item, a.level FROM people
        JOIN ${v.table} a ON a.person_id = people.id WHERE a.item_ref_id IN ${items})`;
  return `WITH req(item, need, weight) AS (VALUES ${req}),
    people AS (SELECT p.id FROM person p WHERE p.profession IN ('${q.professions}')
      AND p.grade BETWEEN ${q.grade_min} AND ${q.grade_max}),
    ${cur},
    scored AS (SELECT c.person_id, SUM(r.weight * LEAST(c.level, r.need)) AS score
      FROM cur c JOIN req r ON r.item = c.item GROUP BY c.person_id)
    SELECT people.id, COALESCE(s.score, 0) AS score FROM people
      LEFT JOIN scored s ON s.person_id = people.id
    ORDER BY score DESC, people.id LIMIT ${q.k}`;
}

function capmapQuery(q, v) {
  const reqs = requirements(q.requirements);
  const req = reqs.map(([i, l, w]) => `(${i}, ${l}, ${w})`).join(', ');
  const items = itemsOf(q, v);
  const cur = v.ledger
    ? `cur AS (SELECT person_id, item, level FROM (SELECT a.person_id, a.item_ref_id AS item,
        a.level, ${kCurrent} FROM assessment a WHERE a.item_ref_id IN ${items})
        WHERE rn = 1)`
    : `cur AS (SELECT a.person_id, a.item_ref_id AS item, a.level FROM ${v.table} a
        WHERE a.item_ref_id IN ${items})`;
  // Supply (people by profession x region) and demand (posts whose role level requires
  // every item at least at the set's level; filled when someone holds the post).
  return `WITH req(item, need, weight) AS (VALUES ${req}),
    ${cur},
    per AS (SELECT c.person_id, SUM(c.level) AS level_sum,
      SUM(CASE WHEN c.level >= r.need THEN 1 ELSE 0 END) AS met
      FROM cur c JOIN req r ON r.item = c.item GROUP BY c.person_id),
    supply AS (SELECT pr.code AS row_label, l.region AS col_label, COUNT(*) AS headcount,
      SUM(CASE WHEN COALESCE(per.met, 0) = (SELECT COUNT(*) FROM req) THEN 1 ELSE 0 END)
        AS meeting,
      SUM(COALESCE(per.level_sum, 0)) AS level_sum
      FROM person p JOIN location l ON l.id = p.location_id
      JOIN profession pr ON pr.code = p.profession
      LEFT JOIN per ON per.person_id = p.id GROUP BY 1, 2),
    rl_ok AS (SELECT rr.role_level_id AS id FROM role_requirement rr JOIN req r
      ON r.item = rr.item_ref_id AND rr.level >= r.need GROUP BY rr.role_level_id
      HAVING COUNT(*) = (SELECT COUNT(*) FROM req)),
    held AS (SELECT DISTINCT post_id FROM person WHERE post_id IS NOT NULL),
    demand AS (SELECT pr.code AS row_label, l.region AS col_label,
      SUM(CASE WHEN h.post_id IS NULL THEN 0 ELSE 1 END) AS filled,
      SUM(CASE WHEN h.post_id IS NULL THEN 1 ELSE 0 END) AS vacant
      FROM post po JOIN rl_ok ON rl_ok.id = po.role_level_id
      JOIN role_level rl ON rl.id = po.role_level_id JOIN career_role cr ON cr.id = rl.role_id
      JOIN job_family jf ON jf.id = cr.job_family_id JOIN profession pr ON pr.id = jf.profession_id
      JOIN location l ON l.id = po.location_id LEFT JOIN held h ON h.post_id = po.id
      GROUP BY 1, 2)
    SELECT COALESCE(s.row_label, d.row_label), COALESCE(s.col_label, d.col_label),
      COALESCE(s.headcount, 0), COALESCE(s.meeting, 0), COALESCE(s.level_sum, 0),
      COALESCE(d.filled, 0), COALESCE(d.vacant, 0)
    FROM supply s FULL OUTER JOIN demand d
      ON d.row_label = s.row_label AND d.col_label = s.col_label`;
}

async function main() {
  const args = parseArgs(process.argv);
  const engine = runEngine(args);
  for (const key of ['query_match', 'query_capmap', 'match', 'capmap']) {
    if (!engine[key]) throw new Error(`the engine bench printed no ${key} line`);
  }
  const exportMs = exportCsv(args);

  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await instance.connect();
  const csv = (t) => path.join(args.csv, `${t}.csv`).replaceAll("'", "''");
  let start = performance.now();
  for (const table of Object.keys(kTables)) {
    await conn.run(`CREATE TABLE ${table} AS SELECT * FROM read_csv('${csv(table)}', header = true)`);
  }
  const loadMs = performance.now() - start;
  start = performance.now();
  await conn.run(`CREATE TABLE current_level AS SELECT person_id, item_ref_id, level FROM (
      SELECT a.person_id, a.item_ref_id, a.level, ${kCurrent} FROM assessment a) WHERE rn = 1`);
  const materialiseMs = performance.now() - start;
  // The best a column store can do: current levels ordered by item, so that a question
  // about a few items reads only their row groups.
  await conn.run(`CREATE TABLE current_level_sorted AS SELECT * FROM current_level
      ORDER BY item_ref_id, person_id`);
  const threads = (await conn.runAndReadAll("SELECT current_setting('threads')")).getRows()[0][0];
  console.log(`peer=duckdb scenario=load export_ms=${exportMs.toFixed(0)} ` +
    `load_ms=${loadMs.toFixed(0)} materialise_current_ms=${materialiseMs.toFixed(0)} ` +
    `threads=${threads} csv=${args.csv}`);

  const qm = engine.query_match;
  const qc = engine.query_capmap;
  const wantIds = engine.answer_match.ids;
  const wantCap = engine.answer_capmap;
  const best = { match: [Infinity, ''], capmap: [Infinity, ''] };
  // From the ledger as the SQL baseline asks it; then from precomputed current levels,
  // unsorted or ordered by item, with the items named through the CTE or literally.
  const variants = [
    ['duckdb', { ledger: true, literal: false }],
    ['duckdb-current', { table: 'current_level', literal: false }],
    ['duckdb-current-literal', { table: 'current_level', literal: true }],
    ['duckdb-current-sorted-cte', { table: 'current_level_sorted', literal: false }],
    ['duckdb-current-sorted', { table: 'current_level_sorted', literal: true }],
  ];
  for (const [peer, v] of variants) {
    const m = await timed(conn, matchQuery(qm, v), args.runs);
    const ids = m.rows.map((r) => String(r[0])).join(',');
    const engineMatch = Number(engine.match.median_ms);
    console.log(`peer=${peer} scenario=match median_ms=${m.ms.toFixed(3)} ` +
      `best_ms=${m.best.toFixed(3)} first_ms=${m.first.toFixed(3)} ` +
      `engine_median_ms=${engineMatch} ratio=${(m.ms / engineMatch).toFixed(0)} ` +
      `same_answer=${ids === wantIds ? 1 : 0} k=${qm.k} requirements_from=${qm.requirements_from}`);
    if (!v.ledger && ids === wantIds && m.ms < best.match[0]) best.match = [m.ms, peer];

    const c = await timed(conn, capmapQuery(qc, v), args.runs);
    const total = (i) => c.rows.reduce((sum, r) => sum + Number(r[i]), 0);
    const same = c.rows.length === Number(wantCap.cells) &&
      total(2) === Number(wantCap.headcount) && total(3) === Number(wantCap.meeting) &&
      total(4) === Number(wantCap.level_sum) && total(5) + total(6) === Number(wantCap.demand);
    const engineCap = Number(engine.capmap.median_ms);
    console.log(`peer=${peer} scenario=capmap median_ms=${c.ms.toFixed(3)} ` +
      `best_ms=${c.best.toFixed(3)} first_ms=${c.first.toFixed(3)} ` +
      `engine_median_ms=${engineCap} ratio=${(c.ms / engineCap).toFixed(0)} ` +
      `same_answer=${same ? 1 : 0} cells=${c.rows.length} dims=profession,region`);
    if (!v.ledger && same && c.ms < best.capmap[0]) best.capmap = [c.ms, peer];
  }
  // The best precomputed peer time with the same answer, against the engine.
  for (const scenario of ['match', 'capmap']) {
    const engineMs = Number(engine[scenario].median_ms);
    console.log(`peer=duckdb-best scenario=${scenario} median_ms=${best[scenario][0].toFixed(3)} ` +
      `variant=${best[scenario][1]} engine_median_ms=${engineMs} ` +
      `ratio=${(best[scenario][0] / engineMs).toFixed(0)}`);
  }
}

main().catch((e) => {
  console.error(e.message ?? e);
  process.exit(1);
});
