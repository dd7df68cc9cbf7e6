-- Every corrections episode's subject is a person dim_person knows from
-- justice records: the fact and the dimension resolve the same mentions. A
-- row returned is an episode whose person dim_person lacks or does not know
-- from justice.

{{ config(meta={'dagster': {'ref': {'name': 'fct_correction_episode'}}}) }}

select
    episodes.correction_episode_key,
    episodes.person_key,
    persons.known_by_sources
from {{ ref('fct_correction_episode') }} as episodes
left join {{ ref('dim_person') }} as persons
    on episodes.person_key = persons.person_key
where episodes.person_key is not null
  and (persons.person_key is null or persons.known_by_sources not like '%justice%')
