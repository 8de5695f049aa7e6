-- The service (issue 20): full-text search with snippets, a log of what changed, a story
-- index for listing, alerts, and edits/undo in the corrections log. Every row here is written
-- by triggers in the same transaction as the article or dossier it comes from, so no writer
-- has to know about it, and a reader never sees a dossier without its changes.

-- Articles' titles and bodies (rowid = article id). `articles_fts` is contentless (no
-- snippets); this one keeps its text.
CREATE VIRTUAL TABLE articles_search USING fts5(title, body, tokenize='unicode61');

-- Facts and quotes of the stored dossiers. rowid = story * 1,000,000 + n (facts: n = index;
-- quotes: 500,000 + index), so a story's rows are one rowid range.
CREATE VIRTUAL TABLE claims_search USING fts5(
    title, body, kind UNINDEXED, story UNINDEXED, ref UNINDEXED, outlets UNINDEXED,
    published UNINDEXED, status UNINDEXED, tokenize='unicode61'
);

-- What changed, in order (id is the cursor): a new story, an article joining a story, a new
-- fact or conflict, a fact becoming corroborated, the count of independent sources changing.
CREATE TABLE changes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    at          TEXT NOT NULL,
    story_id    INTEGER NOT NULL,
    kind        TEXT NOT NULL,  -- story | article | fact | conflict | corroborated | sources
    ref         TEXT,           -- article id, fact index, independent-source count
    text        TEXT NOT NULL DEFAULT '',
    detail      TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX changes_story ON changes (story_id, kind, text);
CREATE INDEX changes_at ON changes (at);

-- One row per story with a dossier: what listing and sorting need without reading the dossier
-- (a story is listed once its first dossier is written: readers see complete dossiers only).
CREATE TABLE story_index (
    story_id        INTEGER PRIMARY KEY,
    articles        INTEGER NOT NULL,
    sources         INTEGER NOT NULL,
    facts           INTEGER NOT NULL,
    conflicts       INTEGER NOT NULL,
    first_published TEXT,
    last_published  TEXT,
    updated_at      TEXT NOT NULL
);
CREATE INDEX story_index_updated ON story_index (updated_at, story_id);
CREATE INDEX story_index_size ON story_index (articles, story_id);
CREATE INDEX story_index_sources ON story_index (sources, articles, story_id);

-- Saved searches and watched stories; `checked`: the last change id evaluated.
CREATE TABLE alerts (
    id          INTEGER PRIMARY KEY,
    query       TEXT,
    story_id    INTEGER,
    reasons     TEXT NOT NULL,  -- JSON list: articles, conflict, corroborated, source
    webhook     TEXT,
    checked     INTEGER NOT NULL DEFAULT 0,
    created_at  TEXT NOT NULL
);

-- Each time an alert fired: the change (article or fact) that made it fire, and the webhook's fate.
CREATE TABLE alert_events (
    id          INTEGER PRIMARY KEY,
    alert_id    INTEGER NOT NULL,
    change_id   INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    story_id    INTEGER NOT NULL,
    ref         TEXT,
    text        TEXT NOT NULL,
    at          TEXT NOT NULL,
    delivery    TEXT,  -- NULL: no webhook; else "delivered", or why not
    UNIQUE (alert_id, change_id)
);

-- Edits (outlet, date) and undo join merge/split/move in the corrections log.
ALTER TABLE corrections ADD COLUMN detail TEXT NOT NULL DEFAULT '{}';
ALTER TABLE corrections ADD COLUMN undone_by INTEGER;

CREATE TRIGGER articles_search_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_search (rowid, title, body)
    SELECT NEW.id, NEW.title, coalesce(
        (SELECT group_concat(value, char(10) || char(10)) FROM json_each(NEW.data, '$.paragraphs')),
        '')
    WHERE json_valid(NEW.data);
END;

CREATE TRIGGER articles_search_update AFTER UPDATE OF title, data ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = OLD.id;
    INSERT INTO articles_search (rowid, title, body)
    SELECT NEW.id, NEW.title, coalesce(
        (SELECT group_concat(value, char(10) || char(10)) FROM json_each(NEW.data, '$.paragraphs')),
        '')
    WHERE json_valid(NEW.data);
END;

CREATE TRIGGER articles_search_delete AFTER DELETE ON articles BEGIN
    DELETE FROM articles_search WHERE rowid = OLD.id;
END;

-- A dossier written: its facts and quotes indexed, its listing row, and what is new in it.
CREATE TRIGGER dossier_written AFTER INSERT ON dossiers WHEN json_valid(NEW.data) BEGIN
    DELETE FROM claims_search
    WHERE rowid BETWEEN NEW.story_id * 1000000 AND NEW.story_id * 1000000 + 999999;
    INSERT INTO claims_search (rowid, title, body, kind, story, ref, outlets, published, status)
    SELECT NEW.story_id * 1000000 + f.key, '', json_extract(f.value, '$.text'), 'fact',
           NEW.story_id, f.key, json_extract(f.value, '$.outlets'),
           json_extract(NEW.data, '$.last_published'), json_extract(f.value, '$.status')
    FROM json_each(NEW.data, '$.facts') f WHERE f.key < 500000;
    INSERT INTO claims_search (rowid, title, body, kind, story, ref, outlets, published, status)
    SELECT NEW.story_id * 1000000 + 500000 + q.key, coalesce(json_extract(q.value, '$.speaker'), ''),
           json_extract(q.value, '$.text'), 'quote', NEW.story_id, q.key,
           json_extract(q.value, '$.outlets'), json_extract(NEW.data, '$.last_published'), NULL
    FROM json_each(NEW.data, '$.quotes') q WHERE q.key < 500000;
    INSERT OR REPLACE INTO story_index (story_id, articles, sources, facts, conflicts,
                                        first_published, last_published, updated_at)
    VALUES (NEW.story_id, json_array_length(NEW.data, '$.articles'),
            coalesce(json_extract(NEW.data, '$.independent_sources'), 0),
            json_array_length(NEW.data, '$.facts'), json_array_length(NEW.data, '$.conflicts'),
            json_extract(NEW.data, '$.first_published'),
            json_extract(NEW.data, '$.last_published'), NEW.updated_at);
    INSERT INTO changes (at, story_id, kind, ref, text)
    SELECT NEW.updated_at, NEW.story_id, 'story', NEW.story_id, json_extract(NEW.data, '$.headline')
    WHERE NOT EXISTS (SELECT 1 FROM changes WHERE story_id = NEW.story_id AND kind = 'story');
    INSERT INTO changes (at, story_id, kind, ref, text)
    SELECT NEW.updated_at, NEW.story_id, 'article', json_extract(a.value, '$.id'),
           json_extract(a.value, '$.title')
    FROM json_each(NEW.data, '$.articles') a
    WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.story_id = NEW.story_id
                      AND c.kind = 'article' AND c.ref = json_extract(a.value, '$.id'));
    INSERT INTO changes (at, story_id, kind, ref, text, detail)
    SELECT NEW.updated_at, NEW.story_id, 'fact', f.key, json_extract(f.value, '$.text'),
           json_object('status', json_extract(f.value, '$.status'),
                       'independent_sources', json_extract(f.value, '$.independent_sources'))
    FROM json_each(NEW.data, '$.facts') f
    WHERE NOT EXISTS (SELECT 1 FROM changes c WHERE c.story_id = NEW.story_id
                      AND c.kind = 'fact' AND c.text = json_extract(f.value, '$.text'));
    INSERT INTO changes (at, story_id, kind, ref, text, detail)
    SELECT NEW.updated_at, NEW.story_id, 'corroborated', f.key, json_extract(f.value, '$.text'),
           json_object('independent_sources', json_extract(f.value, '$.independent_sources'))
    FROM json_each(NEW.data, '$.facts') f
    WHERE json_extract(f.value, '$.status') = 'corroborated'
      AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.story_id = NEW.story_id
                      AND c.kind = 'corroborated' AND c.text = json_extract(f.value, '$.text'));
    INSERT INTO changes (at, story_id, kind, ref, text, detail)
    SELECT NEW.updated_at, NEW.story_id, 'conflict', c.key, json_extract(c.value, '$.description'),
           json_object('kind', json_extract(c.value, '$.kind'))
    FROM json_each(NEW.data, '$.conflicts') c
    WHERE NOT EXISTS (SELECT 1 FROM changes x WHERE x.story_id = NEW.story_id
                      AND x.kind = 'conflict' AND x.text = json_extract(c.value, '$.description'));
    INSERT INTO changes (at, story_id, kind, ref, text, detail)
    SELECT NEW.updated_at, NEW.story_id, 'sources', n.now, n.now || ' independent source(s)',
           json_object('from', n.before, 'to', n.now)
    FROM (SELECT coalesce(json_extract(NEW.data, '$.independent_sources'), 0) AS now,
                 (SELECT CAST(ref AS INTEGER) FROM changes WHERE story_id = NEW.story_id
                  AND kind = 'sources' ORDER BY id DESC LIMIT 1) AS before) n
    WHERE n.before IS NULL OR n.before != n.now;
END;

CREATE TRIGGER dossier_dropped AFTER DELETE ON dossiers BEGIN
    DELETE FROM claims_search
    WHERE rowid BETWEEN OLD.story_id * 1000000 AND OLD.story_id * 1000000 + 999999;
    DELETE FROM story_index WHERE story_id = OLD.story_id;
END;

-- Databases made before: index what they hold (dossiers rewritten in place fire the trigger).
INSERT INTO articles_search (rowid, title, body)
SELECT a.id, a.title, coalesce(
    (SELECT group_concat(value, char(10) || char(10)) FROM json_each(a.data, '$.paragraphs')), '')
FROM articles a WHERE json_valid(a.data);

CREATE TEMP TABLE old_dossiers AS SELECT story_id, data, updated_at FROM dossiers;
DELETE FROM dossiers;
INSERT INTO dossiers (story_id, data, updated_at)
SELECT story_id, data, updated_at FROM old_dossiers ORDER BY updated_at, story_id;
DROP TABLE old_dossiers;
