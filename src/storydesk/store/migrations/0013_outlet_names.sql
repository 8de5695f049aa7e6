-- Outlet names learned from the inputs (issue 18). Each name an outlet was seen with (a site
-- name, a byline, a dateline credit, a footer, --outlet), with the host of the input it came
-- in when the input had an address ('' when it had none), and the host labels the name spells
-- ("foxnews" for Fox News, "nytimes" for The New York Times). An article whose only evidence
-- is a host gets the name that host was seen with, or a name that spells it; names that differ
-- only in case, spaces, punctuation or a leading "The" are shown as the one seen first.

CREATE TABLE IF NOT EXISTS outlet_names (
    host        TEXT NOT NULL,              -- a registered domain, or ''
    name        TEXT NOT NULL,
    key         TEXT NOT NULL,              -- the name squashed: "epochtimes" for The Epoch Times
    seen        INTEGER NOT NULL DEFAULT 0, -- articles that named it so
    PRIMARY KEY (host, name)
);

-- names with one key are one outlet, shown by the name seen first
CREATE INDEX IF NOT EXISTS outlet_names_key ON outlet_names (key);

CREATE TABLE IF NOT EXISTS outlet_spellings (
    spelling    TEXT NOT NULL,              -- a host label the name spells
    name        TEXT NOT NULL,
    PRIMARY KEY (spelling, name)
);
