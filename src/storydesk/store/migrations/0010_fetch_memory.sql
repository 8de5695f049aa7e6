-- Live feeds (issue 20): what the fetcher remembers between passes. A URL's failures in a row
-- and when to ask again (a 404 rarely, a 410 never, a timeout after a doubling wait); each
-- host's robots.txt for its lifetime; and rejections recovered by a later successful fetch
-- (no article needed: a feed that answers again is recovered too).

CREATE TABLE fetch_failures (
    url         TEXT PRIMARY KEY,  -- canonical URL
    failures    INTEGER NOT NULL,
    reason      TEXT NOT NULL,
    retry_at    REAL,              -- Unix time of the next attempt; NULL: never again
    last_at     TEXT NOT NULL
);

CREATE TABLE robots_files (
    origin      TEXT PRIMARY KEY,  -- scheme://host[:port]
    status      INTEGER NOT NULL,  -- 200 (rules in text) or 4xx (no rules: allow all)
    text        TEXT NOT NULL,
    expires_at  REAL NOT NULL      -- Unix time
);

ALTER TABLE resolved_rejections ADD COLUMN recovered INTEGER NOT NULL DEFAULT 0;
