#!/usr/bin/env python3
"""Score dense search by article vector against dense search by section vectors, alone and
fused with the lexical ranking as `remedy search` fuses them (each top 100 min-max
normalized, missing counts 0, (1 - w) * lexical + w * dense).

usage (from the project root):
  cargo run --release --example section_vectors -- ../shared/corpus/alchemy DENSE.jsonl SETS...
  python3 eval/sections.py target/release/remedy IDX DENSE.jsonl SETS... [--dense-weight=W]

IDX is an index of the same corpus (for the lexical ranking). The "article" rows should
match `remedy search --mode dense|hybrid` on IDX: they check this script's fusion.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', '..', 'shared', 'eval', 'peers'))
import metrics  # noqa: E402
import batch  # noqa: E402

args = [a for a in sys.argv[1:] if not a.startswith('--')]
if len(args) < 4:
    sys.exit(__doc__)
weight = 0.35
for a in sys.argv[1:]:
    if a.startswith('--dense-weight='):
        weight = float(a.split('=', 1)[1])
binary, index, dense_file, sets = args[0], args[1], args[2], args[3:]
queries = [q for s in sets for q in metrics.load_queries(s)]

lexical = {qid: [(h['path'], h['score']) for h in hits]
           for qid, hits in batch.search(binary, index, queries, 100, ['--mode', 'lexical']).items()}
dense = {}
with open(dense_file) as f:
    for line in f:
        record = json.loads(line)
        dense[record['qid']] = record


def normalized(ranked):
    if not ranked:
        return {}
    scores = [s for _, s in ranked]
    low, high = min(scores), max(scores)
    return {p: (s - low) / (high - low) if high > low else 1.0 for p, s in ranked}


def fused(lex, den):
    l, d = normalized(lex), normalized(den)
    everything = {p: (1 - weight) * l.get(p, 0.0) + weight * d.get(p, 0.0)
                  for p in set(l) | set(d)}
    return [p for p, _ in sorted(everything.items(), key=lambda x: (-x[1], x[0]))]


runs = {
    'lexical': lambda q: [p for p, _ in lexical.get(q, [])],
    'dense, article': lambda q: [p for p, _ in dense[q]['article']],
    'dense, sections': lambda q: [p for p, _ in dense[q]['sections']],
    'hybrid, article': lambda q: fused(lexical.get(q, []), dense[q]['article']),
    'hybrid, sections': lambda q: fused(lexical.get(q, []), dense[q]['sections']),
}
for name in sorted({q['set'] for q in queries}):
    for run, rank in runs.items():
        ms = [metrics.score_query(rank(q['qid'])[:10], q['rel'])
              for q in queries if q['set'] == name]
        n = len(ms)
        mean = {k: sum(m[k] for m in ms) / n for k in metrics.METRICS}
        print(f"{name:8} {run:17} n={n:3} MRR@10={mean['MRR@10']:.3f} "
              f"nDCG@10={mean['nDCG@10']:.3f} R@10={mean['R@10']:.3f}")
