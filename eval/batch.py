"""Judged queries through `remedy search --queries` (batch mode, one process per locale)."""
import json
import os
import subprocess
import tempfile


def search(binary, index, queries, limit, extra=()):
    """Hits (as `remedy search --format json` gives them) of every query, by qid."""
    hits = {}
    for locale in sorted({q['locale'] for q in queries}):
        with tempfile.NamedTemporaryFile('w', suffix='.tsv', delete=False) as f:
            for q in queries:
                if q['locale'] == locale:
                    f.write(q['qid'] + '\t' + q['query'] + '\n')
        out = subprocess.run([binary, 'search', '--index', index, '--locale', locale,
                              '--limit', str(limit), '--queries', f.name] + list(extra),
                             capture_output=True, text=True, check=True)
        os.unlink(f.name)
        for line in out.stdout.splitlines():
            record = json.loads(line)
            hits[record['id']] = record.get('hits', [])
    return hits
