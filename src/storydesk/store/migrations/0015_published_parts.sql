-- Stories above the exact core publish parts, not a whole dossier, on every add (issue 16).
-- A fold writes the search rows of the facts and quote groups it touched (keyed by their
-- stable numbers), the story's listing row and what changed; the dossier itself is assembled
-- from the stored state when it is read, and kept as a cache until the next fold.

-- Stories whose `dossiers` row is not their dossier: `folded` articles are in the state, and
-- the cached dossier (if any) holds `cached` of them. Readers assemble when the two differ.
CREATE TABLE dossier_due (
    story_id    INTEGER PRIMARY KEY,
    folded      INTEGER NOT NULL,
    cached      INTEGER
);

-- What the published rows of a fact say, to know what changed: its independent sources,
-- status, and whether a conflict disputes it.
CREATE TABLE fold_fact_status (
    story_id    INTEGER NOT NULL,
    fact        INTEGER NOT NULL,
    sources     INTEGER NOT NULL,
    status      TEXT NOT NULL,
    disputed    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (story_id, fact)
) WITHOUT ROWID;

-- Wording and speaker conflicts of each quote group, found when a fold adds to the group (or
-- one of its speakers turns out to relay quotes), with the sentences they cite.
CREATE TABLE fold_quote_conflicts (
    story_id    INTEGER NOT NULL,
    grp         INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    data        TEXT NOT NULL,  -- serialize.dumps of Conflict
    PRIMARY KEY (story_id, grp, seq)
);

CREATE TABLE fold_quote_cites (
    story_id    INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    sentence    INTEGER NOT NULL,
    grp         INTEGER NOT NULL,
    PRIMARY KEY (story_id, article_id, sentence, grp)
) WITHOUT ROWID;

-- The keys of names that relay quotes in a story (its outlets and credited agencies), and the
-- speaker keys of its quote groups: a new relay re-checks only the groups it speaks in.
CREATE TABLE fold_relay_keys (
    story_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    PRIMARY KEY (story_id, key)
) WITHOUT ROWID;

CREATE TABLE fold_quote_speakers (
    story_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,
    grp         INTEGER NOT NULL,
    PRIMARY KEY (story_id, key, grp)
) WITHOUT ROWID;

-- How many of a story's first articles its exact core holds (bounded by sentences too).
ALTER TABLE fold_state ADD COLUMN core INTEGER;

-- The facts an article's sentences belong to, without scanning the story's members.
CREATE INDEX IF NOT EXISTS fold_members_article ON fold_members (story_id, article_id, sentence);

-- A cached dossier of a story with published parts leaves the service rows alone.
DROP TRIGGER dossier_written;

-- (the trigger of 0012, fired only for stories whose dossier is written whole)
CREATE TRIGGER dossier_written AFTER INSERT ON dossiers
WHEN json_valid(NEW.data)
     AND NOT EXISTS (SELECT 1 FROM dossier_due WHERE story_id = NEW.story_id) BEGIN
    DELETE FROM dossier_items;
    INSERT INTO dossier_items (part, key, text, speaker, outlets, status, sources)
    VALUES ('top', 0, json_extract(NEW.data, '$.headline'),
            json_extract(NEW.data, '$.first_published'),
            json_extract(NEW.data, '$.last_published'),
            json_extract(NEW.data, '$.independent_sources'),
            json_array_length(NEW.data, '$.articles'));
    INSERT INTO dossier_items (part, key, text, outlets, status, sources)
    SELECT 'fact', f.key, json_extract(f.value, '$.text'), json_extract(f.value, '$.outlets'),
           json_extract(f.value, '$.status'), json_extract(f.value, '$.independent_sources')
    FROM json_each(NEW.data, '$.facts') f;
    INSERT INTO dossier_items (part, key, text, speaker, outlets)
    SELECT 'quote', q.key, json_extract(q.value, '$.text'), json_extract(q.value, '$.speaker'),
           json_extract(q.value, '$.outlets')
    FROM json_each(NEW.data, '$.quotes') q;
    INSERT INTO dossier_items (part, key, text, status)
    SELECT 'article', a.key, json_extract(a.value, '$.title'), json_extract(a.value, '$.id')
    FROM json_each(NEW.data, '$.articles') a;
    INSERT INTO dossier_items (part, key, text, status)
    SELECT 'conflict', c.key, json_extract(c.value, '$.description'), json_extract(c.value, '$.kind')
    FROM json_each(NEW.data, '$.conflicts') c;
    DELETE FROM claims_search
    WHERE rowid BETWEEN NEW.story_id * 1000000 AND NEW.story_id * 1000000 + 999999;
    INSERT INTO claims_search (rowid, title, body, kind, story, ref, outlets, published, status)
    SELECT NEW.story_id * 1000000 + f.key, '', f.text, 'fact', NEW.story_id, f.key, f.outlets,
           (SELECT outlets FROM dossier_items WHERE part = 'top' AND key = 0), f.status
    FROM dossier_items f WHERE f.part = 'fact' AND f.key < 500000 ORDER BY f.key;
    INSERT INTO claims_search (rowid, title, body, kind, story, ref, outlets, published, status)
    SELECT NEW.story_id * 1000000 + 500000 + q.key, coalesce(q.speaker, ''), q.text, 'quote',
           NEW.story_id, q.key, q.outlets,
           (SELECT outlets FROM dossier_items WHERE part = 'top' AND key = 0), NULL
    FROM dossier_items q WHERE q.part = 'quote' AND q.key < 500000 ORDER BY q.key;
    INSERT OR REPLACE INTO story_index (story_id, articles, sources, facts, conflicts,
                                        first_published, last_published, updated_at)
    SELECT NEW.story_id, t.sources, coalesce(t.status, 0),
           (SELECT count(*) FROM dossier_items WHERE part = 'fact'),
           (SELECT count(*) FROM dossier_items WHERE part = 'conflict'), t.speaker, t.outlets, NEW.updated_at
    FROM dossier_items t WHERE t.part = 'top' AND t.key = 0;
    INSERT INTO changes (at, story_id, kind, ref, text)
    SELECT NEW.updated_at, NEW.story_id, 'story', NEW.story_id, t.text
    FROM dossier_items t WHERE t.part = 'top' AND t.key = 0
      AND NOT EXISTS (SELECT 1 FROM changes WHERE story_id = NEW.story_id AND kind = 'story');
    INSERT INTO changes (at, story_id, kind, ref, text)
    SELECT NEW.updated_at, NEW.story_id, 'article', a.status, a.text
    FROM dossier_items a
    WHERE a.part = 'article'
      AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.story_id = NEW.story_id
                      AND c.kind = 'article' AND c.ref = CAST(a.status AS TEXT))
    ORDER BY a.key;
    INSERT INTO changes (at, story_id, kind, ref, text, detail)
    SELECT NEW.updated_at, NEW.story_id, 'fact', f.key, f.text,
           json_object('status', f.status, 'independent_sources', f.sources)
    FROM dossier_items f
    WHERE f.part = 'fact'
      AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.story_id = NEW.story_id
                      AND c.kind = 'fact' AND c.text = f.text)
    ORDER BY f.key;
    INSERT INTO changes (at, story_id, kind, ref, text, detail)
    SELECT NEW.updated_at, NEW.story_id, 'corroborated', f.key, f.text,
           json_object('independent_sources', f.sources)
    FROM dossier_items f
    WHERE f.part = 'fact' AND f.status = 'corroborated'
      AND NOT EXISTS (SELECT 1 FROM changes c WHERE c.story_id = NEW.story_id
                      AND c.kind = 'corroborated' AND c.text = f.text)
    ORDER BY f.key;
    INSERT INTO changes (at, story_id, kind, ref, text, detail)
    SELECT NEW.updated_at, NEW.story_id, 'conflict', c.key, c.text,
           json_object('kind', c.status)
    FROM dossier_items c
    WHERE c.part = 'conflict'
      AND NOT EXISTS (SELECT 1 FROM changes x WHERE x.story_id = NEW.story_id
                      AND x.kind = 'conflict' AND x.text = c.text)
    ORDER BY c.key;
    INSERT INTO changes (at, story_id, kind, ref, text, detail)
    SELECT NEW.updated_at, NEW.story_id, 'sources', n.now, n.now || ' independent source(s)',
           json_object('from', n.before, 'to', n.now)
    FROM (SELECT coalesce((SELECT status FROM dossier_items WHERE part = 'top' AND key = 0), 0)
                 AS now,
                 (SELECT CAST(ref AS INTEGER) FROM changes WHERE story_id = NEW.story_id
                  AND kind = 'sources' ORDER BY id DESC LIMIT 1) AS before) n
    WHERE n.before IS NULL OR n.before != n.now;
    DELETE FROM dossier_items;
END;
