-- Ingest bookkeeping (issue 3): fetch validators, duplicates at the door, learned boilerplate,
-- rejections recovered by reprocessing. No foreign keys to articles: other stages may rework them.

-- What the fetcher last got for a URL (as requested), for conditional GET.
CREATE TABLE fetch_log (
    url           TEXT PRIMARY KEY,
    final_url     TEXT NOT NULL,
    status        INTEGER NOT NULL,
    etag          TEXT,
    last_modified TEXT,
    sha256        TEXT,
    fetched_at    TEXT NOT NULL
);

-- Canonical URL (tracking parameters, fragments, AMP variants removed) -> the article it gave.
CREATE TABLE url_index (
    url         TEXT PRIMARY KEY,
    article_id  INTEGER NOT NULL,
    first_seen  TEXT NOT NULL
);

-- Hash of an article's normalised body text -> the article: the same text arriving as other bytes.
CREATE TABLE text_hashes (
    text_sha256 TEXT PRIMARY KEY,
    article_id  INTEGER NOT NULL
);

-- Raw blobs folded into an existing article (same canonical URL or same text), and why.
CREATE TABLE aliases (
    sha256      TEXT PRIMARY KEY REFERENCES blobs(sha256),
    article_id  INTEGER NOT NULL,
    source      TEXT NOT NULL,
    reason      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX aliases_article ON aliases(article_id);

-- Lines seen at the edges of an outlet's articles: how many articles carried each.
CREATE TABLE outlet_lines (
    outlet      TEXT NOT NULL,
    line_sha256 TEXT NOT NULL,
    line        TEXT NOT NULL,
    articles    INTEGER NOT NULL,
    PRIMARY KEY (outlet, line_sha256)
);

-- Rejections that `storydesk reprocess` later recovered from the stored bytes.
CREATE TABLE resolved_rejections (
    rejection_id INTEGER PRIMARY KEY,
    article_id   INTEGER,
    resolved_at  TEXT NOT NULL
);
