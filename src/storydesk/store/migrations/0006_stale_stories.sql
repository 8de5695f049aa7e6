-- Pending work (issue 19): stories whose dossier no longer matches their articles.
-- A row is written in the same transaction as the membership change (assignment, merge,
-- split, move) that makes the story's dossier stale, and deleted in the transaction that
-- writes the story's lineage and dossier; any run finishes the stories listed here first.
-- `mark` is never reused (AUTOINCREMENT): a rebuild clears the mark only if no change
-- re-marked the story while its dossier was being built.
CREATE TABLE stale_stories (
    mark        INTEGER PRIMARY KEY AUTOINCREMENT,
    story_id    INTEGER NOT NULL UNIQUE,
    marked_at   TEXT NOT NULL
);

-- Databases made before, repaired: a story with articles but without a dossier (lost to a
-- killed run), or whose dossier counts other articles than the story has, is stale ...
INSERT INTO stale_stories (story_id, marked_at)
SELECT m.story_id, strftime('%Y-%m-%dT%H:%M:%S+00:00', 'now')
FROM memberships m LEFT JOIN dossiers d ON d.story_id = m.story_id
GROUP BY m.story_id
HAVING max(d.story_id) IS NULL
    OR count(*) != max(CASE WHEN json_valid(d.data)
                            THEN json_array_length(d.data, '$.articles') END)
ORDER BY m.story_id;

-- ... and a story without articles (merged away, emptied) keeps no dossier or lineage.
DELETE FROM dossiers WHERE story_id NOT IN (SELECT story_id FROM memberships);
DELETE FROM lineage_edges WHERE story_id NOT IN (SELECT story_id FROM memberships);
