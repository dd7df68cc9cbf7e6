-- Every delivered name once: linkage reads each spelling's pinyin key once.
select distinct name from identity.person_mentions
