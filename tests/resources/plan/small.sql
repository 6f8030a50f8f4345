-- A small hand-made apnmap database for the planner's golden tests (load after
-- src/schema.sql). Services offering: five competencies; one saas-only one.
-- healthcare:         ACCT-001 ACCT-002 OPE-001 POV-001* HC-001 HC-002
-- generative-ai:      ACCT-001 ACCT-002 OPE-001 OPE-002 POV-001* AI-001 AI-002 AI-003
-- security:           ACCT-001 OPE-001 POV-001* POV-002* SEC-001 SEC-002
-- financial-services: ACCT-001 ACCT-002 HC-001 FIN-001 FIN-002 FIN-003 FIN-004 (partial)
-- data-analytics:     ACCT-001 ACCT-002 OPE-001 OPE-002 AI-001 AI-002
-- (* customer example)
INSERT INTO meta VALUES ('format', 'apnmap');
INSERT INTO competency VALUES (1, 'healthcare', 'Healthcare', 'industry'),
  (2, 'generative-ai', 'Generative AI', 'workload'), (3, 'security', 'Security', 'workload'),
  (4, 'financial-services', 'Financial Services', 'industry'),
  (5, 'data-analytics', 'Data and Analytics', 'other'), (6, 'widgets', 'Widgets', NULL);
INSERT INTO alias VALUES ('GenAI', 2), ('Data', 5);
INSERT INTO checklist (id, name, programme, competency_id, track, coverage, newest) VALUES
  (1, 'healthcare services', 'Competency', 1, 'services', 'complete', 1),
  (2, 'generative-ai services', 'Competency', 2, 'services', 'complete', 1),
  (3, 'security services', 'Competency', 3, 'services', 'complete', 1),
  (4, 'financial-services services', 'Competency', 4, 'services', 'partial', 1),
  (5, 'data-analytics services', 'Competency', 5, 'services', 'complete', 1),
  (6, 'widgets software', 'Competency', 6, 'software', 'complete', 1);
INSERT INTO offering_checklist VALUES (1, 'services', 1, 0), (2, 'services', 2, 0), (3, 'services', 3, 0),
  (4, 'services', 4, 1), (5, 'services', 5, 0), (6, 'saas', 6, 0);
INSERT INTO requirement (id, prefix) VALUES ('ACCT-001', 'ACCT'), ('ACCT-002', 'ACCT'),
  ('OPE-001', 'OPE'), ('OPE-002', 'OPE'), ('POV-001', 'POV'), ('POV-002', 'POV'),
  ('HC-001', 'HC'), ('HC-002', 'HC'), ('AI-001', 'AI'), ('AI-002', 'AI'), ('AI-003', 'AI'),
  ('SEC-001', 'SEC'), ('SEC-002', 'SEC'), ('FIN-001', 'FIN'), ('FIN-002', 'FIN'),
  ('FIN-003', 'FIN'), ('FIN-004', 'FIN'), ('DOC-001', 'DOC'), ('HOST-001', 'HOST');
INSERT INTO offering_requirement (competency_id, offering, requirement_id, checklist_id, customer_example) VALUES
  (1, 'services', 'ACCT-001', 1, 0), (1, 'services', 'ACCT-002', 1, 0), (1, 'services', 'OPE-001', 1, 0),
  (1, 'services', 'POV-001', 1, 1), (1, 'services', 'HC-001', 1, 0), (1, 'services', 'HC-002', 1, 0),
  (2, 'services', 'ACCT-001', 2, 0), (2, 'services', 'ACCT-002', 2, 0), (2, 'services', 'OPE-001', 2, 0),
  (2, 'services', 'OPE-002', 2, 0), (2, 'services', 'POV-001', 2, 1), (2, 'services', 'AI-001', 2, 0),
  (2, 'services', 'AI-002', 2, 0), (2, 'services', 'AI-003', 2, 0),
  (3, 'services', 'ACCT-001', 3, 0), (3, 'services', 'OPE-001', 3, 0), (3, 'services', 'POV-001', 3, 1),
  (3, 'services', 'POV-002', 3, 1), (3, 'services', 'SEC-001', 3, 0), (3, 'services', 'SEC-002', 3, 0),
  (4, 'services', 'ACCT-001', 4, 0), (4, 'services', 'ACCT-002', 4, 0), (4, 'services', 'HC-001', 4, 0),
  (4, 'services', 'FIN-001', 4, 0), (4, 'services', 'FIN-002', 4, 0), (4, 'services', 'FIN-003', 4, 0),
  (4, 'services', 'FIN-004', 4, 0),
  (5, 'services', 'ACCT-001', 5, 0), (5, 'services', 'ACCT-002', 5, 0), (5, 'services', 'OPE-001', 5, 0),
  (5, 'services', 'OPE-002', 5, 0), (5, 'services', 'AI-001', 5, 0), (5, 'services', 'AI-002', 5, 0),
  (6, 'saas', 'DOC-001', 6, 0), (6, 'saas', 'HOST-001', 6, 0);
