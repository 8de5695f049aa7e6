-- Incremental dossiers (issue 16): a story's facts, quote groups, conflicts, lineage and
-- per-article digests are stored rows, so a new article is folded into what the story holds
-- and a dossier is assembled from the rows. Every row belongs to one story and is rewritten
-- only in the transaction that also writes (or prepares) that story's dossier.

-- What the rows of a story were made from: the settings fingerprint, the lead article (the
-- central article of the story's exact core) and counters for the indexes' idf.
CREATE TABLE fold_state (
    story_id    INTEGER PRIMARY KEY,
    fingerprint TEXT NOT NULL,
    lead        INTEGER,
    units       INTEGER NOT NULL DEFAULT 0,  -- alignable sentences folded (idf denominator)
    facts       INTEGER NOT NULL DEFAULT 0,  -- next fact number
    groups      INTEGER NOT NULL DEFAULT 0,  -- next quote group number
    quotes      INTEGER NOT NULL DEFAULT 0   -- quotations folded
);

-- The articles folded, in join order, each with its digest (serialize.dumps of ArticleDigest).
CREATE TABLE fold_articles (
    story_id    INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    relay       TEXT,               -- the agency it relays (or is), for relay edges
    relay_own   INTEGER NOT NULL DEFAULT 0,
    analyzed    TEXT,               -- the analysis folded: its created_at and length
    digest      TEXT NOT NULL,
    PRIMARY KEY (story_id, seq)
);

CREATE TABLE fold_facts (
    story_id    INTEGER NOT NULL,
    fact        INTEGER NOT NULL,
    text        TEXT NOT NULL,
    PRIMARY KEY (story_id, fact)
);

CREATE TABLE fold_members (
    story_id    INTEGER NOT NULL,
    fact        INTEGER NOT NULL,
    article_id  INTEGER NOT NULL,
    sentence    INTEGER NOT NULL,
    text        TEXT NOT NULL,
    quoted      INTEGER NOT NULL,
    outlet      TEXT,
    words       TEXT NOT NULL,  -- content words, space-separated
    entities    TEXT NOT NULL,  -- (keys separated by U+001F)
    speakers    TEXT NOT NULL,
    PRIMARY KEY (story_id, fact, article_id, sentence)
);

-- The term index: (story, content word) -> facts holding it, and each word's sentence count.
CREATE TABLE fold_terms (
    story_id    INTEGER NOT NULL,
    term        TEXT NOT NULL,
    fact        INTEGER NOT NULL,
    PRIMARY KEY (story_id, term, fact)
) WITHOUT ROWID;

CREATE TABLE fold_df (
    story_id    INTEGER NOT NULL,
    term        TEXT NOT NULL,
    df          INTEGER NOT NULL,
    PRIMARY KEY (story_id, term)
) WITHOUT ROWID;

CREATE TABLE fold_quotes (
    story_id    INTEGER NOT NULL,
    grp         INTEGER NOT NULL,
    seq         INTEGER NOT NULL,  -- order of folding within the story
    data        TEXT NOT NULL,     -- serialize.dumps of QuoteMember
    PRIMARY KEY (story_id, grp, seq)
);

CREATE TABLE fold_quote_terms (
    story_id    INTEGER NOT NULL,
    term        TEXT NOT NULL,
    grp         INTEGER NOT NULL,
    PRIMARY KEY (story_id, term, grp)
) WITHOUT ROWID;

-- MinHash LSH band keys of a story's articles: a new article's lineage candidates.
CREATE TABLE fold_bands (
    story_id    INTEGER NOT NULL,
    band        TEXT NOT NULL,
    article_id  INTEGER NOT NULL,
    PRIMARY KEY (story_id, band, article_id)
) WITHOUT ROWID;

CREATE TABLE fold_edges (
    story_id    INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    data        TEXT NOT NULL,  -- serialize.dumps of LineageEdge
    PRIMARY KEY (story_id, seq)
);

CREATE TABLE fold_conflicts (
    story_id    INTEGER NOT NULL,
    seq         INTEGER NOT NULL,
    data        TEXT NOT NULL,  -- serialize.dumps of Conflict
    PRIMARY KEY (story_id, seq)
);

-- Sentence embeddings of the fold, by model and text hash: nothing is embedded twice.
CREATE TABLE sentence_embeddings (
    model       TEXT NOT NULL,
    hash        TEXT NOT NULL,
    vector      BLOB NOT NULL,  -- float32, little-endian
    PRIMARY KEY (model, hash)
) WITHOUT ROWID;
