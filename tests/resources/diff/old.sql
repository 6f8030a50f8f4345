-- Old release of a tiny programme (load after src/schema.sql). Differences to
-- new.sql are listed there.
INSERT INTO meta VALUES ('format', 'apnmap');
INSERT INTO competency VALUES (1, 'widgets', 'Widgets', NULL), (2, 'gadgets', 'Gadgets', NULL),
  (3, 'retired', 'Retired', NULL);
INSERT INTO checklist (id, name, programme, competency_id, track, variant, validity, newest) VALUES
  (1, 'widgets software', 'Competency', 1, 'software', NULL, 'February 2025-August 2025', 0),
  (2, 'widgets software', 'Competency', 1, 'software', NULL, 'August 2025-February 2026', 1),
  (3, 'gadgets services', 'Competency', 2, 'services', NULL, 'August 2025-February 2026', 1),
  (4, 'FTR partner-hosted', 'FTR', NULL, 'software', 'partner-hosted', 'August 2025-February 2026', 1),
  (5, 'retired services', 'Competency', 3, 'services', NULL, 'August 2025-February 2026', 1);
INSERT INTO prerequisite (checklist_id, requires_checklist_id, label) VALUES (2, 4, 'FTR');
INSERT INTO requirement (id, prefix, title) VALUES ('DOC-001', 'DOC', 'Docs'), ('WID-001', 'WID', 'Widget design'),
  ('WID-002', 'WID', 'Widget testing'), ('WID-003', 'WID', 'Widget support'), ('GAD-001', 'GAD', 'Gadget plan'),
  ('IAM-001', 'IAM', 'Root user'), ('RET-001', 'RET', 'Old thing');
INSERT INTO checklist_requirement (checklist_id, requirement_id, ord, title, description) VALUES
  (1, 'WID-001', 1, 'Ancient widget design', 'old release, never compared'),
  (2, 'DOC-001', 1, 'Docs', 'Provide documentation.'),
  (2, 'WID-001', 2, 'Widget design', 'Describe the   widget
   design.'),
  (2, 'WID-002', 3, 'Widget testing', 'Describe how widgets are tested.'),
  (2, 'WID-003', 4, 'Widget support', 'Describe support.'),
  (3, 'GAD-001', 1, 'Gadget plan', 'A plan.'),
  (4, 'IAM-001', 1, 'Root user', 'No root access keys.'),
  (5, 'RET-001', 1, 'Old thing', 'Gone next release.');
