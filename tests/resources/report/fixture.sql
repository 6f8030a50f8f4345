-- A small database for the report's tests: load src/schema.sql first, then this.
-- Hostile text sits in competency names, requirement titles, prerequisite text,
-- validity lines and diagnostics; `sprockets` is a partial checklist with 25
-- prefixes of its own (so the services chart groups rare prefixes as "other").
-- Derived tables (prefix_count, overlap) are computed from offering_requirement
-- at the end, as build would.
INSERT INTO meta (key, value) VALUES ('format', 'apnmap');
INSERT INTO document (id, path, sha256, format, title, validity) VALUES
 (1, 'competency/widgets/technology/W1.html', 'x1', 'html', 'AWS Widgets Competency', 'February 2026-August 2026'),
 (2, 'competency/evil/consulting/E1.html', 'x2', 'html', 'AWS <img src=x onerror=alert(1)> Competency', '</script><script>alert(1)</script>');

INSERT INTO competency (id, slug, name, category) VALUES
 (1, 'widgets', 'Widgets', 'workload'),
 (2, 'gadgets', 'Gadgets', 'industry'),
 (3, 'evil', 'Evil <img src=x onerror=alert(1)>', 'workload'),
 (4, 'sprockets', 'Sprockets', 'industry');

INSERT INTO checklist (id, name, programme, competency_id, track, variant, validity, coverage, document_id, newest) VALUES
 (1, 'widgets software', 'Competency', 1, 'software', NULL, 'February 2026-August 2026', 'complete', 1, 1),
 (2, 'widgets services', 'Competency', 1, 'services', NULL, 'February 2026-August 2026', 'complete', NULL, 1),
 (3, 'gadgets services', 'Competency', 2, 'services', NULL, 'February 2026-August 2026', 'complete', NULL, 1),
 (4, 'FTR partner-hosted', 'FTR', NULL, 'software', 'partner-hosted', 'February 2026-August 2026', 'complete', NULL, 1),
 (5, 'FTR customer-deployed', 'FTR', NULL, 'software', 'customer-deployed', 'February 2026-August 2026', 'complete', NULL, 1),
 (6, 'evil software', 'Competency', 3, 'software', NULL, '</script><script>alert(1)</script>', 'complete', 2, 1),
 (7, 'evil services', 'Competency', 3, 'services', NULL, NULL, 'complete', NULL, 1),
 (8, 'sprockets services', 'Competency', 4, 'services', NULL, 'March 2026-September 2026', 'partial', NULL, 1);

INSERT INTO prerequisite (checklist_id, requires_checklist_id, label, text) VALUES
 (1, 4, 'Foundational Technical Review', NULL),
 (1, 5, 'Foundational Technical Review', NULL),
 (1, NULL, 'Software Path Membership', '<b onmouseover=alert(1)>be a member</b>'),
 (6, 4, 'Foundational Technical Review', NULL),
 (6, 5, 'Foundational Technical Review', NULL),
 (3, 2, 'Widgets Competency', 'hold the <script>alert(1)</script> Widgets competency');

INSERT INTO requirement (id, prefix, title) VALUES
 ('WID-001', 'WID', 'Widget inventory'), ('WID-002', 'WID', 'Widget reference architecture'),
 ('DOC-001', 'DOC', 'Product documentation'), ('NETSEC-001', 'NETSEC', 'Network security'),
 ('OPE-001', 'OPE', 'Operations'), ('IAM-001', 'IAM', 'Root user'), ('HOST-001', 'HOST', 'Hosting'),
 ('ARCH-001', 'ARCH', 'Architecture review'), ('ACCT-001', 'ACCT', 'Account hygiene'),
 ('POV-001', 'POV', 'Practice overview'), ('WIDP-001', 'WIDP', 'Widget practice'),
 ('GADP-001', 'GADP', 'Gadget practice'), ('GADP-002', 'GADP', '=HYPERLINK("http://x","y")'),
 ('EVL-001', 'EVL', '</script><script>alert(1)</script>'),
 ('EVL-002', 'EVL', '<img src=x onerror=alert(1)>'),
 ('EVL-003', 'EVL', 'A <!-- comment --> & an "ampersand''s" end');

WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 25)
INSERT INTO requirement (id, prefix, title) SELECT printf('SP%02d-001', i), printf('SP%02d', i), printf('Sprocket rule %d', i) FROM n;

INSERT INTO checklist_requirement (checklist_id, requirement_id, ord, title)
SELECT 1, id, rowid, title FROM requirement WHERE id IN ('WID-001', 'WID-002', 'DOC-001', 'NETSEC-001', 'OPE-001');

INSERT INTO offering_checklist (competency_id, offering, checklist_id, partial) VALUES
 (1, 'saas', 1, 0), (1, 'customer-deployed', 1, 0), (1, 'services', 2, 0),
 (2, 'services', 3, 0),
 (3, 'saas', 6, 0), (3, 'customer-deployed', 6, 0), (3, 'services', 7, 0),
 (4, 'services', 8, 1);

-- (competency, offering, requirement, checklist, via)
INSERT INTO offering_requirement (competency_id, offering, requirement_id, checklist_id, via_checklist_id) VALUES
 (1, 'saas', 'WID-001', 1, NULL), (1, 'saas', 'WID-002', 1, NULL), (1, 'saas', 'DOC-001', 1, NULL),
 (1, 'saas', 'NETSEC-001', 1, NULL), (1, 'saas', 'OPE-001', 1, NULL),
 (1, 'saas', 'IAM-001', 4, 4), (1, 'saas', 'HOST-001', 4, 4),
 (1, 'customer-deployed', 'WID-001', 1, NULL), (1, 'customer-deployed', 'WID-002', 1, NULL),
 (1, 'customer-deployed', 'DOC-001', 1, NULL), (1, 'customer-deployed', 'NETSEC-001', 1, NULL),
 (1, 'customer-deployed', 'OPE-001', 1, NULL), (1, 'customer-deployed', 'ARCH-001', 5, 5),
 (1, 'services', 'ACCT-001', 2, NULL), (1, 'services', 'OPE-001', 2, NULL), (1, 'services', 'POV-001', 2, NULL),
 (1, 'services', 'WIDP-001', 2, NULL),
 (2, 'services', 'ACCT-001', 3, NULL), (2, 'services', 'POV-001', 3, NULL), (2, 'services', 'GADP-001', 3, NULL),
 (2, 'services', 'GADP-002', 3, NULL), (2, 'services', 'OPE-001', 2, 2), (2, 'services', 'WIDP-001', 2, 2),
 (3, 'saas', 'EVL-001', 6, NULL), (3, 'saas', 'EVL-002', 6, NULL), (3, 'saas', 'DOC-001', 6, NULL),
 (3, 'saas', 'IAM-001', 4, 4), (3, 'saas', 'HOST-001', 4, 4),
 (3, 'customer-deployed', 'EVL-001', 6, NULL), (3, 'customer-deployed', 'EVL-002', 6, NULL),
 (3, 'customer-deployed', 'DOC-001', 6, NULL), (3, 'customer-deployed', 'ARCH-001', 5, 5),
 (3, 'services', 'ACCT-001', 7, NULL), (3, 'services', 'POV-001', 7, NULL), (3, 'services', 'EVL-003', 7, NULL),
 (4, 'services', 'ACCT-001', 8, NULL), (4, 'services', 'OPE-001', 8, NULL);
INSERT INTO offering_requirement (competency_id, offering, requirement_id, checklist_id, via_checklist_id)
SELECT 4, 'services', id, 8, NULL FROM requirement WHERE prefix LIKE 'SP%';

INSERT INTO diagnostic (document_id, path, severity, locus, message) VALUES
 (2, 'competency/evil/consulting/E1.html', 'warning', '#requirement_<b>', 'odd title </script><img src=x onerror=alert(1)>'),
 (NULL, '=cmd|calc.xlsx', 'error', NULL, '=HYPERLINK("http://example.invalid","click") not a workbook');

INSERT INTO prefix_count (competency_id, offering, prefix, n)
SELECT o.competency_id, o.offering, r.prefix, count(*) FROM offering_requirement o
JOIN requirement r ON r.id = o.requirement_id GROUP BY 1, 2, 3;

INSERT INTO overlap (offering, a_id, b_id, shared, union_size, jaccard)
SELECT x.offering, x.id, y.id,
  (SELECT count(*) FROM offering_requirement p JOIN offering_requirement q
     ON q.requirement_id = p.requirement_id AND q.offering = p.offering AND q.competency_id = y.id
   WHERE p.competency_id = x.id AND p.offering = x.offering) AS shared,
  0, 0
FROM (SELECT DISTINCT o.offering, c.id, c.slug FROM offering_checklist o JOIN competency c ON c.id = o.competency_id) x
JOIN (SELECT DISTINCT o.offering, c.id, c.slug FROM offering_checklist o JOIN competency c ON c.id = o.competency_id) y
  ON y.offering = x.offering AND x.slug < y.slug;
UPDATE overlap SET union_size =
  (SELECT count(DISTINCT requirement_id) FROM offering_requirement o
   WHERE o.offering = overlap.offering AND o.competency_id IN (overlap.a_id, overlap.b_id));
UPDATE overlap SET jaccard = CASE WHEN union_size = 0 THEN 0 ELSE round(1.0 * shared / union_size, 4) END;
