-- The baseline for `vrhub measures`: every police_records measure of the catalogue, written by hand as ONE
-- DuckDB query over ONE scan of police_records. Merseyside and each borough, by calendar year: plain, broken
-- down by age band and by sex (offences counted by their victims, as vrhub does), and offences by offence
-- group (police_group_change_2021). Output in vrhub's long layout (measure_id, period, area_code, breakdown,
-- value); a zero may be missing where vrhub shows 0.
--
-- Distinct crimes are counted in two steps, as count(DISTINCT) under GROUPING SETS is 5-10x slower in
-- DuckDB 1.5: (c) one row per crime, per crime and age band, per crime and sex (GROUPING SETS) with a flag
-- per measure; (m) those rows counted at month x borough grain; (y) summed to years, with the force level
-- as a grouping set. A crime's date, place and offence are the same on all its rows (one row per person).
-- It reads the sv_local / sv_home_office flags stored at load; vrhub re-derives them from the definitions.
WITH r AS (
    SELECT crime_key, date_trunc('month', committed_date) AS month, lad_code,
           person_role = 'victim' AS victim, person_role = 'suspect' AS suspect, age < 25 IS TRUE AS u25,
           sv_local AS sv, sv_home_office AS sv_ho, knife IS TRUE AS knife,
           sv_local AND offence_code = '10D' AS sv_knife,
           sv_local AND offence_code IN ('1', '4.1', '4.2', '4.10') AND domestic IS FALSE AS sv_ndh,
           CASE WHEN age BETWEEN 0 AND 9 THEN '0-9' WHEN age BETWEEN 10 AND 17 THEN '10-17'
                WHEN age BETWEEN 18 AND 24 THEN '18-24' WHEN age BETWEEN 25 AND 34 THEN '25-34'
                WHEN age BETWEEN 35 AND 49 THEN '35-49' WHEN age BETWEEN 50 AND 64 THEN '50-64'
                WHEN age BETWEEN 65 AND 120 THEN '65+' ELSE 'unknown' END AS age_band,
           coalesce(sex, 'U') AS sex, coalesce(offence_group, 'unknown') AS offence_group
    FROM police_records
),
c AS (  -- gset: 3 one row per crime, 1 per crime and age band, 2 per crime and sex
    SELECT GROUPING(age_band, sex) AS gset, age_band, sex, any_value(month) AS month,
           any_value(lad_code) AS lad_code, any_value(offence_group) AS offence_group,
           bool_or(sv) AS sv_offences, bool_or(sv AND victim) AS sv_offences_v,
           bool_or(sv_ho) AS ho_offences, bool_or(sv_ho AND victim) AS ho_offences_v,
           bool_or(sv_knife) AS knife_offences, bool_or(sv_knife AND victim) AS knife_offences_v,
           bool_or(sv_knife AND suspect AND u25) AS knife_suspect_u25,
           bool_or(sv_knife AND victim AND u25) AS knife_victim_u25,
           bool_or(sv_ndh) AS ndh, bool_or(sv_ndh AND victim) AS ndh_v,
           bool_or(sv_ndh AND knife AND victim AND u25) AS ndh_knife_u25,
           bool_or(sv AND suspect AND u25) AS sv_suspect_u25,
           count(*) FILTER (sv AND victim AND u25) AS sv_victims_u25,
           count(*) FILTER (sv_knife AND victim AND u25) AS knife_victims_u25,
           count(*) FILTER (sv AND victim) AS sv_victims, count(*) FILTER (sv AND suspect) AS sv_suspects
    FROM r
    GROUP BY GROUPING SETS ((crime_key), (crime_key, age_band), (crime_key, sex))
),
m AS (
    SELECT gset, month, year(month) AS year, lad_code, age_band, sex,
           CASE WHEN gset = 3 THEN offence_group END AS offence_group,
           count(*) FILTER (sv_offences) AS sv_offences, count(*) FILTER (sv_offences_v) AS sv_offences_v,
           count(*) FILTER (ho_offences) AS ho_offences, count(*) FILTER (ho_offences_v) AS ho_offences_v,
           count(*) FILTER (knife_offences) AS knife_offences,
           count(*) FILTER (knife_offences_v) AS knife_offences_v,
           count(*) FILTER (knife_suspect_u25) AS knife_suspect_u25,
           count(*) FILTER (knife_victim_u25) AS knife_victim_u25, count(*) FILTER (ndh) AS ndh,
           count(*) FILTER (ndh_v) AS ndh_v, count(*) FILTER (ndh_knife_u25) AS ndh_knife_u25,
           count(*) FILTER (sv_suspect_u25) AS sv_suspect_u25, sum(sv_victims_u25) AS sv_victims_u25,
           sum(knife_victims_u25) AS knife_victims_u25, sum(sv_victims) AS sv_victims,
           sum(sv_suspects) AS sv_suspects, count(*) AS all_offences
    FROM c
    GROUP BY ALL
),
y AS (
    SELECT CAST(year AS VARCHAR) AS period, lad_code, gset, GROUPING(lad_code) = 1 AS force,
           GROUPING(offence_group) = 0 AS by_group, gset <> 3 AS by_person,
           CASE WHEN GROUPING(offence_group) = 0 THEN 'offence_group=' || offence_group
                WHEN gset = 1 THEN 'age_band=' || age_band WHEN gset = 2 THEN 'sex=' || sex ELSE '' END AS breakdown,
           sum(sv_offences) AS sv_offences, sum(sv_offences_v) AS sv_offences_v,
           sum(ho_offences) AS ho_offences, sum(ho_offences_v) AS ho_offences_v,
           sum(knife_offences) AS knife_offences, sum(knife_offences_v) AS knife_offences_v,
           sum(knife_suspect_u25) AS knife_suspect_u25, sum(knife_victim_u25) AS knife_victim_u25,
           sum(ndh) AS ndh, sum(ndh_v) AS ndh_v, sum(ndh_knife_u25) AS ndh_knife_u25,
           sum(sv_suspect_u25) AS sv_suspect_u25, sum(sv_victims_u25) AS sv_victims_u25,
           sum(knife_victims_u25) AS knife_victims_u25, sum(sv_victims) AS sv_victims,
           sum(sv_suspects) AS sv_suspects, sum(all_offences) AS all_offences
    FROM m
    GROUP BY GROUPING SETS ((year, gset, age_band, sex, lad_code), (year, gset, age_band, sex),
                            (year, gset, offence_group, lad_code), (year, gset, offence_group))
    HAVING (GROUPING(lad_code) = 1 OR lad_code IS NOT NULL) AND (GROUPING(offence_group) = 1 OR gset = 3)
),
v AS (
    SELECT period, CASE WHEN force THEN 'E23000004' ELSE lad_code END AS area_code, breakdown,
           unnest(['ho_knife_sv', 'ho_knife_sv_suspect_u25', 'ho_knife_sv_victim_u25',
                   'ho_non_domestic_homicide', 'ho_non_domestic_knife_homicide_u25', 'local_sv_offences',
                   'local_knife_sv', 'local_sv_victims_u25', 'local_knife_victims_u25', 'ho_sv_offences',
                   'local_sv_offences_u25_suspect', 'local_sv_victims', 'local_sv_suspects']) AS measure_id,
           unnest([CASE WHEN by_person THEN knife_offences_v ELSE knife_offences END, knife_suspect_u25,
                   knife_victim_u25, CASE WHEN by_person THEN ndh_v ELSE ndh END, ndh_knife_u25,
                   CASE WHEN by_person THEN sv_offences_v ELSE sv_offences END,
                   CASE WHEN by_person THEN knife_offences_v ELSE knife_offences END, sv_victims_u25,
                   knife_victims_u25, CASE WHEN by_person THEN ho_offences_v ELSE ho_offences END,
                   sv_suspect_u25, sv_victims, sv_suspects]) AS value
    FROM y WHERE NOT by_group
)
SELECT measure_id, period, area_code, breakdown, value FROM v
UNION ALL
SELECT 'police_group_change_2021', period, CASE WHEN force THEN 'E23000004' ELSE lad_code END, breakdown,
       all_offences
FROM y WHERE by_group
