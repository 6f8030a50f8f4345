-- New release: against old.sql, widgets software drops WID-002, rewords the
-- title of WID-003 and re-wraps (only) the whitespace of WID-001; gadgets
-- services gets a new validity and adds GAD-002 with a reworded GAD-001
-- description; FTR partner-hosted adds IAM-002 (required by widgets
-- software, so `--have widgets` shows it); retired services is gone and
-- security services is new.
INSERT INTO meta VALUES ('format', 'apnmap');
INSERT INTO competency VALUES (1, 'gadgets', 'Gadgets', NULL), (2, 'widgets', 'Widgets', NULL),
  (3, 'security', 'Security', NULL);
INSERT INTO checklist (id, name, programme, competency_id, track, variant, validity, newest) VALUES
  (10, 'FTR partner-hosted', 'FTR', NULL, 'software', 'partner-hosted', 'August 2025-February 2026', 1),
  (11, 'widgets software', 'Competency', 2, 'software', NULL, 'August 2025-February 2026', 1),
  (12, 'gadgets services', 'Competency', 1, 'services', NULL, 'February 2026-August 2026', 1),
  (13, 'security services', 'Competency', 3, 'services', NULL, 'February 2026-August 2026', 1);
INSERT INTO prerequisite (checklist_id, requires_checklist_id, label) VALUES (11, 10, 'FTR');
INSERT INTO requirement (id, prefix, title) VALUES ('DOC-001', 'DOC', 'Docs'), ('WID-001', 'WID', 'Widget design'),
  ('WID-003', 'WID', 'Widget support and maintenance'), ('GAD-001', 'GAD', 'Gadget plan'),
  ('GAD-002', 'GAD', 'Gadget review'), ('IAM-001', 'IAM', 'Root user'), ('IAM-002', 'IAM', 'MFA'), ('SEC-001', 'SEC', 'Threat model');
INSERT INTO checklist_requirement (checklist_id, requirement_id, ord, title, description) VALUES
  (10, 'IAM-001', 1, 'Root user', 'No root access keys.'),
  (10, 'IAM-002', 2, 'MFA', 'Use MFA.'),
  (11, 'DOC-001', 1, 'Docs', 'Provide documentation.'),
  (11, 'WID-001', 2, 'Widget design', 'Describe the widget design.'),
  (11, 'WID-003', 3, 'Widget support and maintenance', 'Describe support.'),
  (12, 'GAD-001', 1, 'Gadget plan', 'A plan, reviewed yearly.'),
  (12, 'GAD-002', 2, 'Gadget review', 'A review.'),
  (13, 'SEC-001', 1, 'Threat model', 'A threat model.');
