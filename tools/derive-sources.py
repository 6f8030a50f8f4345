#!/usr/bin/env python3
"""Derive data/sources/*.csv from the project's fact tables.

The fact tables are the CSV files the project was started with (competencies.csv,
requirements.csv, checklist_urls.csv, compiled from public sources); they are not
part of this repository, whose data/sources/ keeps everything the corpus needs.
Run once by hand when those tables change; `make corpus` does not need it
(the generator reads only data/sources/). Every output row names its source.
Rules applied here (documented in data/README.md):
  * competency names are unified (Migration -> Migration and Modernization,
    Level 1 MSSP -> Managed Security Service Provider (MSSP));
  * IDs of the common blocks (docs/formats.md section 4) are not repeated as a
    competency's own rows: the generator adds the common sections to every
    checklist of the track;
  * titles keep AWS's wording only where the fact table has it; otherwise the
    `wording` column says paraphrase or placeholder and the page marks it;
  * coverage: complete when the source names at least MIN_COMPLETE own IDs of
    the checklist, else partial (a judgement, editable in checklists.csv).

usage: tools/derive-sources.py FACT_TABLES_DIR [OUT_DIR]
"""
import csv
import hashlib
import os
import re
import sys

if len(sys.argv) < 2:
    sys.exit('usage: tools/derive-sources.py FACT_TABLES_DIR [OUT_DIR]')
FACTS = sys.argv[1]
OUT = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), '..', 'data', 'sources')
MIN_COMPLETE = 10
VALIDITY = 'February 2026-August 2026'
VALIDITY_SOURCE = ('corpus assumption: every checklist is dated like the real FTR files '
                   '(Feb 2026); competency IDs come from the older releases named in requirements.csv')

RENAME = {
    'Migration': 'Migration and Modernization',
    'Level 1 Managed Security Service Provider (MSSP)': 'Managed Security Service Provider (MSSP)',
    'Managed Security Service Provider': 'Managed Security Service Provider (MSSP)',
}
SLUG = {'Managed Security Service Provider (MSSP)': 'managed-security-service-provider'}
# Tracks whose existence the fact tables do not establish (competencies.csv notes).
DOUBTFUL = {('Mainframe Modernization', 'software'), ('Mobile', 'software'),
            ('Supply Chain', 'services')}

SERVICES_CCE = ['DOC-001', 'ACCT-001', 'ACCT-002', 'OPE-001', 'OPE-002', 'OPE-003',
                'NETSEC-001', 'NETSEC-002', 'REL-001', 'REL-002', 'COST-001']
SERVICES_PRACTICE = (['POV-%03d' % i for i in range(1, 6)] + ['PRJ-%03d' % i for i in range(1, 6)]
                     + ['CSN-001', 'CSN-002'])
FORMATS_SRC = 'docs/formats.md section 4 (common sections of every services checklist)'


def slug_of(name):
    return SLUG.get(name) or name.lower().replace(' ', '-')


def clean_section(s):
    s = re.sub(r'\s+(v[0-9.]+\s*)?rel \d{4}-\d{2}-\d{2}$', '', s)
    s = re.sub(r'\s+v[0-9.]+$', '', s)
    s = re.sub(r'^designation category: ', '', s)
    s = re.sub(r' \(sheet "[^"]*"\)$', '', s)
    s = s.split(' || ')[0]
    if s in ('', '(category not given)'):
        s = 'Requirements'
    return s


def wording_of(r):
    note, src = r['note'], r['source']
    if not r['title']:
        return 'placeholder'
    if 'paraphrase' in note or 'may not be exact' in note:
        return 'paraphrase'
    if 'truncated' in note:
        return 'aws-truncated'
    return 'aws'


def sheet_kind(section, title):
    t = (section + ' ' + title).lower()
    return 'customer-example' if ('customer' in t or 'case stud' in t) else 'practice'


def page_id(key):
    # Synthetic page ids look like the real ones (C + 8 url-safe characters).
    h = hashlib.sha256(key.encode()).hexdigest()
    return 'X' + h[:8]


def main():
    reqs = list(csv.DictReader(open(os.path.join(FACTS, 'requirements.csv'), encoding='utf-8')))
    comps = list(csv.DictReader(open(os.path.join(FACTS, 'competencies.csv'), encoding='utf-8')))
    urls = list(csv.DictReader(open(os.path.join(FACTS, 'checklist_urls.csv'), encoding='utf-8')))
    os.makedirs(OUT, exist_ok=True)

    # common blocks
    common = []
    titles = {}
    for r in reqs:
        if r['competency'] == 'Cloud Operations' and r['req_id'] in SERVICES_CCE and r['title']:
            titles[r['req_id']] = (r['title'], 'paraphrase', r['source'] + ' (Cloud Operations, as a partner paraphrased it)')
        if r['competency'] == 'Security' and r['req_id'] == 'POV-001' and r['title']:
            titles[r['req_id']] = (r['title'], 'paraphrase', r['source'])
    for rid in SERVICES_PRACTICE:
        t = titles.get(rid)
        sec = {'POV': 'Practice Overview', 'PRJ': 'Project Delivery', 'CSN': 'Customer Satisfaction'}[rid[:3]]
        common.append(dict(block='services-practice', req_id=rid, section=sec,
                           title=t[0] if t else '', wording=t[1] if t else 'placeholder',
                           source=FORMATS_SRC + ('; title: ' + t[2] if t else '')))
    for rid in SERVICES_CCE:
        t = titles.get(rid)
        common.append(dict(block='services-customer-example', req_id=rid, section='Common Customer Example Requirements',
                           title=t[0] if t else '', wording=t[1] if t else 'placeholder',
                           source=FORMATS_SRC + ('; title: ' + t[2] if t else '')))
    for r in reqs:
        if r['program'] == 'Competency' and r['competency'] == '(common)' and r['path'] == 'software':
            common.append(dict(block='software', req_id=r['req_id'], section=clean_section(r['section']),
                               title=r['title'], wording=wording_of(r),
                               source='requirements.csv: ' + r['source'] + ' [common software requirements]'))
    common_ids = {'services': set(SERVICES_CCE + SERVICES_PRACTICE),
                  'software': {c['req_id'] for c in common if c['block'] == 'software'}}

    # competencies and their tracks
    competencies = []
    tracks = {}
    for c in comps:
        name = RENAME.get(c['name'], c['name'])
        ts = []
        for t in ('services', 'software'):
            if re.search(r'\b' + t + r'\b', c['paths']) and (name, t) not in DOUBTFUL:
                ts.append(t)
        tracks[name] = ts
        competencies.append(dict(slug=slug_of(name), name=name, tracks=';'.join(ts),
                                 source='competencies.csv: ' + c['source'], note=c['note']))

    # own requirements
    own = []
    seen = set()
    dropped = 0
    for r in reqs:
        if r['program'] != 'Competency' or r['competency'].startswith('(') or r['path'] not in ('services', 'software'):
            continue
        name = RENAME.get(r['competency'], r['competency'])
        track = r['path']
        rid = r['req_id']
        if not re.search(r'-\d+$', rid) or rid == 'UCR-001':
            dropped += 1     # section markers (USE-CASE; UCR-001 is the Use Case Relevance row)
            continue
        if rid in common_ids[track]:
            dropped += 1     # carried by the common section of every checklist of the track
            continue
        key = (slug_of(name), track, rid)
        if key in seen:
            continue
        seen.add(key)
        if track not in tracks.get(name, []):
            tracks.setdefault(name, []).append(track)
        sec = clean_section(r['section'])
        own.append(dict(checklist=slug_of(name) + '/' + track, req_id=rid, section=sec,
                        sheet=sheet_kind(sec, r['title']), title=r['title'], wording=wording_of(r),
                        source='requirements.csv: ' + r['source'], note=r['note']))
    for c in competencies:
        c['tracks'] = ';'.join(t for t in ('services', 'software') if t in tracks[c['name']])

    # customer-deployed FTR
    for r in reqs:
        if r['program'] == 'FTR' and r['path'] == 'customer-deployed':
            sec = re.sub(r'\s*\((20\d\d_q\d_v\d)\)$', '', r['section'])
            sec = re.sub(r'^\(added in 20\d\d_q\d_v\d\)$', 'Added in 2022_q1_v1', sec)
            own.append(dict(checklist='ftr/customer-deployed', req_id=r['req_id'], section=sec, sheet='',
                            title=r['title'], wording=wording_of(r),
                            source='requirements.csv: ' + r['source'], note=r['note']))

    # checklists
    known = {}
    for u in urls:
        m = re.search(r'/competency/([^/]+)/(consulting|technology)/([^/]+)\.html$', u['url'])
        if m:
            known[(m.group(1), 'services' if m.group(2) == 'consulting' else 'software')] = (m.group(3), u['url'])
    counts = {}
    for o in own:
        counts[o['checklist']] = counts.get(o['checklist'], 0) + 1
    checklists = [
        dict(checklist='ftr/partner-hosted', slug='', track='software', page_id='CVLHEC5X7', page_id_kind='real',
             url='https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/CVLHEC5X7.html',
             validity=VALIDITY, coverage='complete',
             coverage_note='the real Korean page and AWS workbook (v2026.1), copied byte for byte',
             source='raw/SOURCES.txt (FTR_Checklist_KO.html, FTR_Self_Assessment.xlsx)'),
        dict(checklist='ftr/customer-deployed', slug='', track='software', page_id='C0hfGvKGP', page_id_kind='real',
             url='https://apn-checklists.s3.amazonaws.com/foundational/customer-deployed/customer-deployed/C0hfGvKGP.html',
             validity=VALIDITY, coverage='complete',
             coverage_note='the 51 IDs of the 2021_q2_v1 list and its 2022_q1_v1 additions; later releases unknown',
             source='requirements.csv (customer-deployed rows); checklist_urls.csv'),
    ]
    for c in competencies:
        for t in ('services', 'software'):
            if t not in c['tracks'].split(';'):
                continue
            key = c['slug'] + '/' + t
            n = counts.get(key, 0)
            pid, url = known.get((c['slug'], t), (page_id(key), ''))
            cov = 'complete' if n >= MIN_COMPLETE else 'partial'
            note = ('%d competency-specific IDs known' % n) + (
                '' if cov == 'complete' else ' (fewer than %d: the source lists only some of them)' % MIN_COMPLETE)
            checklists.append(dict(checklist=key, slug=c['slug'], track=t, page_id=pid,
                                   page_id_kind='real' if url else 'synthetic', url=url, validity=VALIDITY,
                                   coverage=cov, coverage_note=note,
                                   source=('checklist_urls.csv' if url else 'page id synthetic (not known)')
                                   + '; validity: ' + VALIDITY_SOURCE))

    prereqs = [
        dict(applies_to='software', number='1.1', kind='text', label='Software Path Membership', target='',
             text='The partner is enrolled in the software path of the AWS Partner Network.',
             source='docs/formats.md section 2 (prereqSection example); competencies.csv prerequisites (generic)'),
        dict(applies_to='software', number='1.2', kind='checklist', label='Foundational Technical Review',
             target='https://apn-checklists.s3.amazonaws.com/foundational/partner-hosted/partner-hosted/CVLHEC5X7.html',
             text='The offering has an approved Foundational Technical Review (partner-hosted or customer-deployed).',
             source='competencies.csv prerequisites: "an approved FTR is required to qualify AWS Software Partners" [FTR checklist intro]'),
        dict(applies_to='services', number='1.1', kind='text', label='Services Path Membership', target='',
             text='The partner is enrolled in the services path of the AWS Partner Network.',
             source='competencies.csv prerequisites (generic; services path assumed by analogy with software)'),
        dict(applies_to='services', number='1.2', kind='text', label='Customer References', target='',
             text='Customer references for the practice, as described in the checklist.',
             source='README.md of the fact tables ("customer references" among the generic prerequisites)'),
    ]

    def write(name, rows, cols):
        with open(os.path.join(OUT, name), 'w', newline='', encoding='utf-8') as f:
            w = csv.DictWriter(f, fieldnames=cols, lineterminator='\n', extrasaction='ignore')
            w.writeheader()
            for r in rows:
                w.writerow(r)

    write('competencies.csv', competencies, ['slug', 'name', 'tracks', 'source', 'note'])
    write('checklists.csv', checklists, ['checklist', 'slug', 'track', 'page_id', 'page_id_kind', 'url',
                                         'validity', 'coverage', 'coverage_note', 'source'])
    write('requirements.csv', own, ['checklist', 'req_id', 'section', 'sheet', 'title', 'wording', 'source', 'note'])
    write('common.csv', common, ['block', 'req_id', 'section', 'title', 'wording', 'source'])
    write('prerequisites.csv', prereqs, ['applies_to', 'number', 'kind', 'label', 'target', 'text', 'source'])
    print('%d competencies, %d checklists, %d own requirement rows, %d common rows; %d rows folded into '
          'common sections or dropped as section markers' % (len(competencies), len(checklists), len(own),
                                                            len(common), dropped))


if __name__ == '__main__':
    main()
