#!/usr/bin/env python3
"""Derive expected.stdout of this case from data/sources, without apnmap.

usage: python3 expected.py > expected.stdout   (from this folder; the partner-hosted
FTR's 44 control IDs are read from the real page in tests/resources/real)
Offering sets per docs/design.md §3: services = own + the common services sections;
saas / customer-deployed = own + the common software block + that FTR's IDs.
"""
import collections
import csv
import os
import re

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.join(here, '..', '..', '..')
S = os.path.join(root, 'data', 'sources')
rd = lambda name: list(csv.DictReader(open(os.path.join(S, name), encoding='utf-8')))
ch, rq, cm, comps = rd('checklists.csv'), rd('requirements.csv'), rd('common.csv'), rd('competencies.csv')
page = open(os.path.join(root, 'tests', 'resources', 'real', 'FTR_Checklist_KO.html'), encoding='utf-8').read()
ftr = set(re.findall(r'id="requirement_([A-Z0-9]+-\d{3})', page))
assert len(ftr) == 44, len(ftr)
pre = lambda i: i.rsplit('-', 1)[0]
sw = {r['req_id'] for r in cm if r['block'] == 'software'}
sv = {r['req_id'] for r in cm if r['block'].startswith('services')}
cd = {r['req_id'] for r in rq if r['checklist'] == 'ftr/customer-deployed'}


def offer(slug, o):
    if o == 'services':
        return {r['req_id'] for r in rq if r['checklist'] == slug + '/services'} | sv
    own = {r['req_id'] for r in rq if r['checklist'] == slug + '/software'} | sw
    return own | (ftr if o == 'saas' else cd)


print('competencies')
print(len(comps))
print('offering,competencies')
nsw = sum(1 for c in ch if c['checklist'].endswith('/software'))
nsv = sum(1 for c in ch if c['checklist'].endswith('/services'))
print('customer-deployed,%d' % nsw)
print('saas,%d' % nsw)
print('services,%d' % nsv)
print('requirement_id')
for i in sorted(i for i in offer('networking', 'saas') if pre(i) == 'NETCON'):
    print(i)
for slug, o in [('networking', 'saas'), ('networking', 'customer-deployed'), ('security', 'services')]:
    c = collections.Counter(pre(i) for i in offer(slug, o))
    for p in sorted(c):
        print('%s,%s,%s,%d' % (slug, o, p, c[p]))
