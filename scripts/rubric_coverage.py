#!/usr/bin/env python3
"""Which rubric phrases and patterns match how many sentences of the fixtures and the
community answers. An entry that matches exactly one sentence may be a memorised
answer rather than a kind of statement: generalise it or remove it.

Usage (from the repository root): scripts/rubric_coverage.py   (needs PyYAML)
"""
import glob
import json
import os
import re

import yaml

r = yaml.safe_load(open('rubric.yaml'))
def norm(t):
    t=t.lower()
    t=re.sub(r"[-_/\u2010\u2011\u2012]"," ",t)
    t=t.replace("\u2019","'").replace("\u2018","'").replace("`","'")
    t=re.sub(r"n't\b"," not",t)
    t=re.sub(r"\s+"," ",t)
    return t
texts=[]
for p in glob.glob('fixtures/**/*',recursive=True):
    if os.path.isfile(p) and p.endswith(('.json','.jsonl','.md','.vtt','.srt','.txt')) and 'baseline' not in p:
        texts.append((p,open(p,errors='ignore').read()))
corpus = '../shared/corpus/dsi-theory-qa.jsonl'
for l in (open(corpus) if os.path.exists(corpus) else []):
    d=json.loads(l); texts.append(('corpus',d['answer']))
sents=[]
for p,t in texts:
    for s in re.split(r'(?<=[.!?])\s+|\n+',t):
        if len(s)>3: sents.append((p,norm(s)))
entries=[]
for f in r['red_flags']:
    for pat in f.get('patterns',[]): entries.append(('red_flags.'+f['id'],'pattern',pat))
    for ph in f.get('phrases',[]): entries.append(('red_flags.'+f['id'],'phrase',ph))
for k in ('did','would','asks','facts'):
    for pat in r['production_experience'].get(k,[]): entries.append(('production.'+k,'pattern',pat))
for ru in r['compliance']['rules']:
    for pat in ru.get('patterns',[]) or []: entries.append(('compliance.'+ru['id'],'pattern',pat))
    for ph in ru.get('phrases',[]) or []: entries.append(('compliance.'+ru['id'],'phrase',ph))
out=[]
for owner,kind,e in entries:
    if kind=='phrase':
        rx=re.compile(r'\b'+re.escape(norm(e))+r'\b')
    else:
        try: rx=re.compile(e)
        except Exception as ex: continue
    hits=[(p,s) for p,s in sents if rx.search(s)]
    files=set(p for p,_ in hits)
    out.append((len(hits),len(files),owner,kind,e,hits[:2]))
single=[o for o in out if o[0]==1]
zero=[o for o in out if o[0]==0]
print(len(entries),'entries;',len(single),'match exactly one sentence;',len(zero),'match none')
for o in single:
    print(o[2],o[3],'|',o[4][:110],'|',o[5][0][0].split('/')[-2:])
