-- Story clustering (issue 5): a persisted candidate index and user corrections.
-- No foreign keys: other stages may rework articles; a missing id is simply not found.

-- What clustering compares for each article: title, term counts, entities, day.
CREATE TABLE article_profiles (
    article_id  INTEGER PRIMARY KEY,
    day         INTEGER,
    data        TEXT NOT NULL
);

-- Candidate index: which articles carry each key (a term, or an entity as "@name").
CREATE TABLE profile_keys (
    key         TEXT NOT NULL,
    article_id  INTEGER NOT NULL,
    PRIMARY KEY (key, article_id)
) WITHOUT ROWID;

-- How many articles carry each key (document frequency, for idf and rare-key lookup).
CREATE TABLE key_counts (
    key         TEXT PRIMARY KEY,
    df          INTEGER NOT NULL
) WITHOUT ROWID;

-- Every user correction, in order: merge, split, move.
CREATE TABLE corrections (
    id          INTEGER PRIMARY KEY,
    action      TEXT NOT NULL,
    story_id    INTEGER NOT NULL,
    other_story INTEGER,
    articles    TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL
);

-- Stories merged into others (by a user or because they converged).
CREATE TABLE story_merges (
    absorbed    INTEGER PRIMARY KEY,
    into_story  INTEGER NOT NULL,
    score       REAL,
    correction  INTEGER,
    created_at  TEXT NOT NULL
);

-- Pairs of stories a user split apart: never merged automatically.
CREATE TABLE story_separations (
    story_a     INTEGER NOT NULL,
    story_b     INTEGER NOT NULL,
    correction  INTEGER NOT NULL,
    PRIMARY KEY (story_a, story_b)
);

-- Articles a user took out of a story: that story is never merged with theirs automatically.
CREATE TABLE article_exclusions (
    article_id  INTEGER NOT NULL,
    story_id    INTEGER NOT NULL,
    correction  INTEGER NOT NULL,
    PRIMARY KEY (article_id, story_id)
);
