-- Topics (issue 5): stories grouped at a looser level than stories themselves.
-- A story without a row is a topic of its own; topic_id is the lowest story id of the topic.
CREATE TABLE story_topics (
    story_id    INTEGER PRIMARY KEY,
    topic_id    INTEGER NOT NULL
);

CREATE INDEX story_topics_topic ON story_topics (topic_id);
