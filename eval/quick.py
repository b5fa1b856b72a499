#!/usr/bin/env python3
"""Score remedy on judged query sets in one process per locale (batch mode), with the
metrics of ../shared/eval/peers/metrics.py. For looking at rankings while developing;
the numbers to report come from ../shared/eval/run_project.sh beside the peers.

usage (from the project root, after `remedy index --content CORPUS --index IDX`):
  python3 eval/quick.py target/release/remedy IDX ../shared/eval/dev.tsv eval/train.tsv [--show] [--peers]

--mode=M, --dense-weight=W   passed to `remedy search` (lexical, dense, hybrid; 0..1)
--show   one line per query: MRR, nDCG, ranks of the grade-2 articles, the query
--peers  with --show: each peer's nDCG from the run files run_peers.sh left in
         /tmp/remedy-eval-work/runs (run it on the same set first)
Never run --show on eval/holdout.tsv: that set is scored, not looked at.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'shared', 'eval', 'peers'))
import metrics  # noqa: E402
import batch  # noqa: E402

args = [a for a in sys.argv[1:] if not a.startswith('--')]
# --mode=lexical|dense|hybrid and --dense-weight=W go to `remedy search` as they are.
passed = [a.replace('=', ' ', 1).split(' ') for a in sys.argv[1:]
          if a.startswith('--mode=') or a.startswith('--dense-weight=')]
passed = [x for pair in passed for x in pair]
if len(args) < 3:
    sys.exit(__doc__)
show = '--show' in sys.argv
binary, index, sets = args[0], args[1], args[2:]
if show and any('holdout' in s for s in sets):
    sys.exit('quick.py: holdout.tsv is scored only, never shown query by query')
queries = [q for s in sets for q in metrics.load_queries(s)]
results = {qid: [h['path'] for h in hits]
           for qid, hits in batch.search(binary, index, queries, 10, passed).items()}
peers = {}
if '--peers' in sys.argv:
    for engine in ['fts5', 'fts5-snowball', 'xapian', 'tantivy', 'tantivy-stem']:
        path = f'/tmp/remedy-eval-work/runs/peer-{engine}.json'
        if os.path.exists(path):
            with open(path) as f:
                peers[engine] = json.load(f)['results']
groups = {}
for q in queries:
    m = metrics.score_query(results.get(q['qid'], []), q['rel'])
    for key in [(q['set'], q['locale']), (q['set'], 'all')]:
        groups.setdefault(key, []).append(m)
    if show:
        ranked = results.get(q['qid'], [])
        ranks = [i + 1 for i, p in enumerate(ranked) if q['rel'].get(p, 0) >= 2]
        others = ' '.join(
            f"{e}={metrics.score_query(r.get(q['qid'], []), q['rel'])['nDCG@10']:.2f}"
            for e, r in peers.items() if q['qid'] in r)
        print(f"{q['qid']:9} MRR={m['MRR@10']:.2f} nDCG={m['nDCG@10']:.2f} "
              f"ranks={ranks} {others} | {q['query']}")
for (name, locale), ms in sorted(groups.items()):
    n = len(ms)
    mean = {k: sum(m[k] for m in ms) / n for k in metrics.METRICS}
    print(f"{name:8} {locale:6} n={n:3} MRR@10={mean['MRR@10']:.3f} "
          f"nDCG@10={mean['nDCG@10']:.3f} R@5={mean['R@5']:.3f} R@10={mean['R@10']:.3f}")
