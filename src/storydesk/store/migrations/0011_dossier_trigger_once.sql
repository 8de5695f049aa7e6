-- The dossier trigger of 0009, made linear in the dossier (issue 16): SQLite before 3.45 parses
-- a JSON text again at every json_extract, and the per-row `json_extract(NEW.data,
-- '$.last_published')` re-parsed the whole dossier once per fact and quote (16 s for a
-- 1,000-article story). As an uncorrelated scalar subquery it is evaluated once per statement.
-- The rows written are the same. The index lets "is this article's change recorded yet" be a
-- lookup instead of a scan of the story's changes.

DROP TRIGGER dossier_written;

CREATE TRIGGER dossier_written AFTER INSERT ON dossiers WHEN json_valid(NEW.data) BEGIN
    DELETE FROM claims_search
    WHERE rowid BETWEEN NEW.story_id * 1000000 AND NEW.story_id * 1000000 + 999999;
    INSERT INTO claims_search (rowid, title, body, kind, story, ref, outlets, published, status)
    SELECT NEW.story_id * 1000000 + f.key, '', json_extract(f.value, '$.text'), 'fact',
           NEW.story_id, f.key, json_extract(f.value, '$.outlets'),
           (SELECT json_extract(NEW.data, '$.last_published')), json_extract(f.value, '$.status')
    FROM json_each(NEW.data, '$.facts') f WHERE f.key < 500000;
    INSERT INTO claims_search (rowid, title, body, kind, story, ref, outlets, published, status)
    SELECT NEW.story_id * 1000000 + 500000 + q.key, coalesce(json_extract(q.value, '$.speaker'), ''),
           json_extract(q.value, '$.text'), 'quote', NEW.story_id, q.key,
           json_extract(q.value, '$.outlets'), (SELECT json_extract(NEW.data, '$.last_published')), NULL
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

CREATE INDEX changes_ref ON changes (story_id, kind, ref);
