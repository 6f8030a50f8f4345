-- A generated instance (after src/schema.sql) where --budget needs far more than a
-- fraction of a second to prove its count: 200 competencies over 3000 requirements,
-- a common block in most, three shared blocks of 20 each, 40 of their own each.
-- Deterministic: membership comes from arithmetic on the indices, not random().
INSERT INTO meta VALUES ('format', 'apnmap');
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 199)
INSERT INTO competency (id, slug, name) SELECT i + 1, printf('c%03d', i), printf('C%03d', i) FROM c;
INSERT INTO checklist (id, name, programme, competency_id, track, newest)
  SELECT id, slug || ' services', 'Competency', id, 'services', 1 FROM competency;
INSERT INTO offering_checklist SELECT id, 'services', id, 0 FROM competency;
WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 2999)
INSERT INTO requirement (id, prefix) SELECT printf('R%d-%04d', i / 100, i), printf('R%d', i / 100) FROM r;
WITH RECURSIVE c(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM c WHERE i < 199),
  r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 2999),
  b(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM b WHERE k < 2),
  m(c, r) AS (
    SELECT c.i, r.i FROM c, r WHERE r.i < 40 AND (c.i * 31 + r.i * 17) % 10 < 9
    UNION SELECT c.i, 40 + ((c.i * 37 + b.k * 53) % 60) * 20 + j.i FROM c, b, r AS j
      WHERE j.i < 20 AND (c.i * 7 + j.i * 11 + b.k) % 3 <> 0
    UNION SELECT c.i, 1240 + (c.i * 40 + j.i) % 1760 FROM c, r AS j WHERE j.i < 40)
INSERT INTO offering_requirement (competency_id, offering, requirement_id, checklist_id)
  SELECT m.c + 1, 'services', printf('R%d-%04d', m.r / 100, m.r), m.c + 1 FROM m;
