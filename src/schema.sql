-- apnmap database schema (docs/design.md §4). Embedded into the library by tools/embed.sh;
-- docs/schema.md documents every table and view. Tables and columns named in
-- docs/design.md §4 are a public contract: add, never rename.
PRAGMA user_version = 1;

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT
);

-- One row per input file read (pages and workbooks).
CREATE TABLE document (
    id       INTEGER PRIMARY KEY,
    path     TEXT NOT NULL UNIQUE,          -- relative to the folder given to build
    sha256   TEXT NOT NULL,
    format   TEXT NOT NULL CHECK (format IN ('html', 'xlsx')),
    url      TEXT,                          -- from manifest.csv when known
    title    TEXT,                          -- h1 / workbook title line
    validity TEXT,                          -- 'February 2026-August 2026'
    version  TEXT,
    subtitle TEXT,                          -- h2: 'Service Offering Validation Checklist'
    lang     TEXT                           -- 'en', 'ko', ...
);

CREATE TABLE competency (
    id       INTEGER PRIMARY KEY,
    slug     TEXT NOT NULL UNIQUE,          -- 'security', 'small-and-medium-business-(smb)'
    name     TEXT NOT NULL,                 -- 'Security'
    category TEXT                           -- from categories.csv: industry / workload / other
);

-- Other spellings of a competency (aliases.csv), for names given by users and pages.
CREATE TABLE alias (
    name          TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    competency_id INTEGER NOT NULL REFERENCES competency(id)
);

-- (programme, competency or FTR variant, track, release) = one checklist.
CREATE TABLE checklist (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL,            -- 'security services', 'FTR partner-hosted'
    programme     TEXT NOT NULL,            -- 'Competency', 'FTR', 'Service Delivery', ...
    competency_id INTEGER REFERENCES competency(id),
    track         TEXT CHECK (track IN ('services', 'software')),
    variant       TEXT,                     -- FTR: partner-hosted / customer-deployed / alternative / service-offering
    validity      TEXT,
    coverage      TEXT CHECK (coverage IN ('complete', 'partial')),  -- manifest.csv; NULL: not stated
    document_id   INTEGER REFERENCES document(id),   -- the page when there is one
    release_key   INTEGER,                  -- validity start as YYYYMM (0: unknown), for ordering releases
    newest        INTEGER NOT NULL DEFAULT 0 -- 1 for the newest release of its identity
);

CREATE TABLE checklist_document (
    checklist_id INTEGER NOT NULL REFERENCES checklist(id),
    document_id  INTEGER NOT NULL REFERENCES document(id),
    PRIMARY KEY (checklist_id, document_id)
);

-- One row per canonical requirement ID across the programme.
CREATE TABLE requirement (
    id          TEXT PRIMARY KEY,           -- 'IAM-002'
    prefix      TEXT NOT NULL,              -- 'IAM'
    title       TEXT,                       -- representative wording
    description TEXT
);

-- A requirement as one checklist words it.
CREATE TABLE checklist_requirement (
    checklist_id     INTEGER NOT NULL REFERENCES checklist(id),
    requirement_id   TEXT NOT NULL REFERENCES requirement(id),
    section          TEXT,
    ord              INTEGER NOT NULL,      -- order within the checklist, from 1
    title            TEXT,
    description      TEXT,
    locus            TEXT,                  -- 'page.html: #requirement_IAM-001'
    customer_example INTEGER NOT NULL DEFAULT 0,  -- needs fresh evidence per competency
    PRIMARY KEY (checklist_id, requirement_id)
) WITHOUT ROWID;

-- Edges checklist -> checklist (requires_checklist_id) or checklist -> text.
CREATE TABLE prerequisite (
    id                    INTEGER PRIMARY KEY,
    checklist_id          INTEGER NOT NULL REFERENCES checklist(id),
    requires_checklist_id INTEGER REFERENCES checklist(id),
    label                 TEXT NOT NULL,
    text                  TEXT,
    locus                 TEXT
);

CREATE TABLE assessment_answer (
    document_id    INTEGER NOT NULL REFERENCES document(id),
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    met            TEXT CHECK (met IN ('yes', 'no', 'na')),
    response       TEXT,
    locus          TEXT,
    PRIMARY KEY (document_id, requirement_id)
);

-- The CIS Benchmark and Security Hub references a requirement's words name
-- ("(CIS_5.0 1.3/Security Control IAM.4 or CIS_3.0 1.4/...)", src/reqref.h).
CREATE TABLE requirement_reference (
    requirement_id TEXT NOT NULL REFERENCES requirement(id),
    scheme         TEXT NOT NULL,           -- 'CIS_5.0', 'CIS_3.0', 'Security Hub'
    ref            TEXT NOT NULL,           -- '1.3', 'IAM.4'
    locus          TEXT,                    -- where it was first read: 'page.html: #requirement_ARC-004'
    PRIMARY KEY (requirement_id, scheme, ref)
) WITHOUT ROWID;

CREATE TABLE diagnostic (
    id          INTEGER PRIMARY KEY,
    document_id INTEGER REFERENCES document(id),
    path        TEXT NOT NULL,              -- the input as given (also for rejected files)
    severity    TEXT NOT NULL CHECK (severity IN ('error', 'warning', 'note')),
    locus       TEXT,
    message     TEXT NOT NULL
);

-- Computed by build (C bitsets): the requirement sets of the three offerings.
-- offering_checklist: the checklist an offering starts from.
CREATE TABLE offering_checklist (
    competency_id INTEGER NOT NULL REFERENCES competency(id),
    offering      TEXT NOT NULL CHECK (offering IN ('saas', 'customer-deployed', 'services')),
    checklist_id  INTEGER NOT NULL REFERENCES checklist(id),
    partial       INTEGER NOT NULL DEFAULT 0,  -- a checklist in the closure has coverage 'partial'
    PRIMARY KEY (competency_id, offering)
);

-- WITHOUT ROWID on the large derived tables: build writes them in key order,
-- one b-tree each instead of a table and its key index (a third of the store).
CREATE TABLE offering_requirement (
    competency_id    INTEGER NOT NULL REFERENCES competency(id),
    offering         TEXT NOT NULL,
    requirement_id   TEXT NOT NULL REFERENCES requirement(id),
    checklist_id     INTEGER NOT NULL REFERENCES checklist(id),  -- where the row's wording is
    via_checklist_id INTEGER REFERENCES checklist(id),           -- NULL: own
    customer_example INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (competency_id, offering, requirement_id)
) WITHOUT ROWID;

CREATE TABLE prefix_count (
    competency_id INTEGER NOT NULL REFERENCES competency(id),
    offering      TEXT NOT NULL,
    prefix        TEXT NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (competency_id, offering, prefix)
) WITHOUT ROWID;

CREATE TABLE overlap (
    offering   TEXT NOT NULL,
    a_id       INTEGER NOT NULL REFERENCES competency(id),
    b_id       INTEGER NOT NULL REFERENCES competency(id),
    shared     INTEGER NOT NULL,
    union_size INTEGER NOT NULL,
    jaccard    REAL NOT NULL,
    PRIMARY KEY (offering, a_id, b_id)
) WITHOUT ROWID;

CREATE VIEW v_offering_requirement AS
SELECT c.slug AS competency, o.offering, o.requirement_id, r.prefix,
       COALESCE(v.name, 'own') AS via
FROM offering_requirement o
JOIN competency c ON c.id = o.competency_id
JOIN requirement r ON r.id = o.requirement_id
LEFT JOIN checklist v ON v.id = o.via_checklist_id;

CREATE VIEW v_prefix_counts AS
SELECT c.slug AS competency, p.offering, p.prefix, p.n
FROM prefix_count p JOIN competency c ON c.id = p.competency_id;

CREATE VIEW v_overlap AS
SELECT o.offering, a.slug AS a, b.slug AS b, o.shared, o.union_size, o.jaccard
FROM overlap o
JOIN competency a ON a.id = o.a_id
JOIN competency b ON b.id = o.b_id;
