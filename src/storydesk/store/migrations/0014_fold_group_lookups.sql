-- Bounded fold lookups (issue 16): a quote group's words and their count were read through the
-- primary key (story_id, term, grp), so counting one group's words scanned every quote word of
-- the story, once per candidate group of every folded quote (about 1 s an article at 1,000
-- articles). Indexed by group, a fold reads only the candidate groups' rows. Likewise the
-- articles relaying an agency are found without scanning the story's articles.

CREATE INDEX IF NOT EXISTS fold_quote_terms_group ON fold_quote_terms (story_id, grp, term);

CREATE INDEX IF NOT EXISTS fold_articles_relay ON fold_articles (story_id, relay, relay_own, seq);
