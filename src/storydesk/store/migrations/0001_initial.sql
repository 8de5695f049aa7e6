-- Raw bytes, content-addressed: nothing read is ever lost.
CREATE TABLE blobs (
    sha256      TEXT PRIMARY KEY,
    media_type  TEXT NOT NULL,
    size        INTEGER NOT NULL,
    content     BLOB NOT NULL,
    hints       TEXT NOT NULL DEFAULT '[]',
    first_seen  TEXT NOT NULL
);

-- Every place a blob was read from (the same bytes may arrive from several sources).
CREATE TABLE sources (
    source      TEXT NOT NULL,
    sha256      TEXT NOT NULL REFERENCES blobs(sha256),
    first_seen  TEXT NOT NULL,
    PRIMARY KEY (source, sha256)
);

CREATE TABLE articles (
    id          INTEGER PRIMARY KEY,
    sha256      TEXT NOT NULL UNIQUE REFERENCES blobs(sha256),
    source      TEXT NOT NULL,
    title       TEXT NOT NULL,
    outlet      TEXT,
    published   TEXT,
    url         TEXT,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE analyses (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id),
    model       TEXT NOT NULL,
    data        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE rejections (
    id          INTEGER PRIMARY KEY,
    source      TEXT NOT NULL,
    sha256      TEXT,
    step        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (source, step, reason)
);

CREATE TABLE stories (
    id          INTEGER PRIMARY KEY,
    title       TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE memberships (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id),
    story_id    INTEGER NOT NULL REFERENCES stories(id),
    score       REAL NOT NULL,
    explanation TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX memberships_story ON memberships(story_id);

CREATE TABLE lineage_edges (
    story_id    INTEGER NOT NULL REFERENCES stories(id),
    derived     INTEGER NOT NULL REFERENCES articles(id),
    source      INTEGER NOT NULL REFERENCES articles(id),
    kind        TEXT NOT NULL,
    score       REAL NOT NULL,
    directed    INTEGER NOT NULL,
    evidence    TEXT NOT NULL,
    PRIMARY KEY (derived, source)
);

CREATE TABLE dossiers (
    story_id    INTEGER PRIMARY KEY REFERENCES stories(id),
    data        TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE VIRTUAL TABLE articles_fts USING fts5(title, body, content='', tokenize='unicode61');
