-- Why each story joined its topic (issue 5): the story it was found most similar to, and the
-- similarity with its parts. One row per story: its latest link.
CREATE TABLE topic_links (
    story_id    INTEGER PRIMARY KEY,
    nearest     INTEGER NOT NULL,
    score       REAL NOT NULL,
    words       REAL NOT NULL,  -- story similarity on words, entities and dates
    gist        REAL,           -- gist cosine when both stories had gists, else NULL
    created_at  TEXT NOT NULL
);
