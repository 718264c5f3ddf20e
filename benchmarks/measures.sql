-- The baseline for `vrhub measures`: every police_records measure of the catalogue, written by hand as ONE
-- DuckDB query over ONE scan of police_records. Merseyside and each borough, by calendar year: plain, by age
-- band and by sex, and offences by offence group (police_group_change_2021). Output in vrhub's long layout
-- (measure_id, period, area_code, breakdown, value); a zero may be missing where vrhub shows 0.
--
-- What each measure counts, spelt out here from the catalogue and the definitions (not read from them):
-- merseyside_local 2022.2 is the appendix's list with every domestic-flagged row left out;
-- merseyside_offence_groups is three ONS offence groups (the stored offence_group column); the knife
-- rows (ho_knife_sv*, local_knife_*) are every 10D offence, whatever its flags. A flag not recorded is not
-- set: such a crime is in the local definition, but not a non-domestic homicide (that needs `domestic` false).
--
-- Broken down by age band or sex, each counted crime sits in ONE band, its youngest counted person's
-- (victim, or suspect where the measure is about suspects; unknown age after every known age, F before M
-- before U at equal age), or `no victim recorded` for a measure of crimes whatever people they record; a
-- counted row (victim or suspect incident) sits in its own person's band. So the bands add to the total.
-- One integer per person carries that order, and with it the person's age and sex: age * 3 + sex rank.
--
-- Steps: (r) each row's flags per measure; (c) per crime, each offence measure's counted person (NULL: not
-- counted, -1: counted, no victim recorded); (p) counted rows per month, borough and person; (n) both, per
-- month, borough, measure and person; (y) labelled and summed to years, with the force level and the
-- breakdowns as grouping sets. A crime's date, place and offence are the same on all its rows.
WITH r AS (
    SELECT crime_key, date_trunc('month', committed_date) AS month, lad_code, offence_group,
           coalesce(age, 999) * 3 + CASE sex WHEN 'F' THEN 0 WHEN 'M' THEN 1 ELSE 2 END AS who,
           person_role = 'victim' AS victim, person_role = 'suspect' AS suspect, age < 25 IS TRUE AS u25,
           offence_code = '10D' AS knife_sv,
           -- merseyside_local: these on any flag, the second list only knife- or firearm-enabled
           (offence_code IN ('1', '4.1', '4.2', '4.10', '2', '5D', '56A', '34A', '34B')
            OR (knife IS TRUE OR firearm IS TRUE)
               AND offence_code IN ('3B', '8N', '8P', '8S', '5E', '19C', '19D', '19E', '19F', '19G', '19H',
                                    '20A', '20B', '17A', '17B'))
           AND domestic IS NOT TRUE AS sv,
           offence_group IN ('violence-against-the-person', 'possession-of-weapons-offences',
                             'miscellaneous-crimes-against-society') AS sv_groups,
           -- home_office: homicide, and the selected offences knife- or firearm-enabled
           offence_code IN ('1', '4.1', '4.2', '4.10')
           OR (knife IS TRUE OR firearm IS TRUE)
              AND offence_code IN ('2', '3B', '8N', '8P', '8S', '5D', '34A', '34B', '19C', '19D', '19E', '19F',
                                   '19G', '19H', '20A', '20B', '17A', '17B') AS sv_ho,
           -- home_office_hotspot: homicide, the ONS subgroup violence with injury, robbery
           offence_code IN ('1', '4.1', '4.2', '4.10', '2', '37.1', '4.3', '4.4', '4.6', '4.7', '4.8', '4.9',
                            '5D', '5E', '8N', '8P', '8S', '34A', '34B') AS hotspot,
           -- home_office_knife: ONS selected offences with the knife flag
           knife IS TRUE
           AND offence_code IN ('1', '4.1', '4.2', '4.10', '2', '3B', '5D', '8N', '8P', '8S', '34A', '34B',
                                '19C', '19D', '19E', '19F', '19G', '19H', '20A', '20B', '17A', '17B') AS knife_ons,
           -- home_office_gun: the firearm flag on any offence, and the firearms offences
           firearm IS TRUE OR offence_code IN ('10A', '10B', '81', '5E') AS gun,
           offence_code IN ('1', '4.1', '4.2', '4.10') AND domestic IS FALSE AS ndh,
           knife IS TRUE AS knife_flag
    FROM police_records
),
c AS (  -- offences: per crime, the measure's youngest counted person; -1 counted with no victim recorded
    SELECT month, lad_code, any_value(offence_group) AS offence_group,
           CASE WHEN bool_or(knife_sv) THEN coalesce(min(who) FILTER (knife_sv AND victim), -1) END AS knife_sv,
           min(who) FILTER (knife_sv AND suspect AND u25) AS knife_sv_suspect_u25,
           min(who) FILTER (knife_sv AND victim AND u25) AS knife_sv_victim_u25,
           CASE WHEN bool_or(sv AND ndh) THEN coalesce(min(who) FILTER (sv AND ndh AND victim), -1) END AS ndh,
           min(who) FILTER (sv AND ndh AND knife_flag AND victim AND u25) AS ndh_knife_u25,
           CASE WHEN bool_or(sv_groups) THEN coalesce(min(who) FILTER (sv_groups AND victim), -1) END
               AS sv_groups,
           CASE WHEN bool_or(sv_ho) THEN coalesce(min(who) FILTER (sv_ho AND victim), -1) END AS sv_ho,
           min(who) FILTER (sv AND suspect AND u25) AS sv_suspect_u25,
           CASE WHEN bool_or(sv) THEN coalesce(min(who) FILTER (sv AND victim), -1) END AS sv,
           CASE WHEN bool_or(hotspot) THEN coalesce(min(who) FILTER (hotspot AND victim), -1) END AS hotspot,
           CASE WHEN bool_or(knife_ons) THEN coalesce(min(who) FILTER (knife_ons AND victim), -1) END
               AS knife_ons,
           CASE WHEN bool_or(gun) THEN coalesce(min(who) FILTER (gun AND victim), -1) END AS gun
    FROM r
    GROUP BY crime_key, month, lad_code
),
p AS (  -- victim and suspect incidents: rows, each in its own person's band
    SELECT month, lad_code, who,
           count(*) FILTER (sv_groups AND victim AND u25) AS sv_groups_victims_u25,
           count(*) FILTER (sv AND victim AND u25) AS sv_victims_u25,
           count(*) FILTER (knife_sv AND victim AND u25) AS knife_victims_u25,
           count(*) FILTER (sv AND victim) AS sv_victims, count(*) FILTER (sv AND suspect) AS sv_suspects
    FROM r
    GROUP BY ALL
),
n AS (
    SELECT month, lad_code, measure_id, who, count(*) AS value
    FROM (
        SELECT month, lad_code,
               unnest(['ho_knife_sv', 'local_knife_sv', 'ho_knife_sv_suspect_u25', 'ho_knife_sv_victim_u25',
                       'ho_non_domestic_homicide', 'ho_non_domestic_knife_homicide_u25', 'local_sv_offences',
                       'ho_sv_offences', 'local_sv_offences_u25_suspect', 'local_sv_offences_appendix',
                       'ho_hotspot_offences', 'ho_knife_offences', 'ho_gun_crime']) AS measure_id,
               unnest([knife_sv, knife_sv, knife_sv_suspect_u25, knife_sv_victim_u25, ndh, ndh_knife_u25,
                       sv_groups, sv_ho, sv_suspect_u25, sv, hotspot, knife_ons, gun]) AS who
        FROM c
    )
    WHERE who IS NOT NULL
    GROUP BY ALL
    UNION ALL
    SELECT * FROM (
        SELECT month, lad_code,
               unnest(['local_sv_victims_u25', 'local_sv_victims_u25_appendix', 'local_knife_victims_u25',
                       'local_sv_victims', 'local_sv_suspects']) AS measure_id,
               who,
               unnest([sv_groups_victims_u25, sv_victims_u25, knife_victims_u25, sv_victims, sv_suspects])
                   AS value
        FROM p
    )
    WHERE value > 0
),
labelled AS (
    SELECT year(month) AS year, lad_code, measure_id, value,
           CASE WHEN who = -1 THEN 'no victim recorded' WHEN who // 3 BETWEEN 0 AND 9 THEN '0-9'
                WHEN who // 3 BETWEEN 10 AND 17 THEN '10-17' WHEN who // 3 BETWEEN 18 AND 24 THEN '18-24'
                WHEN who // 3 BETWEEN 25 AND 34 THEN '25-34' WHEN who // 3 BETWEEN 35 AND 49 THEN '35-49'
                WHEN who // 3 BETWEEN 50 AND 64 THEN '50-64' WHEN who // 3 BETWEEN 65 AND 120 THEN '65+'
                ELSE 'unknown' END AS age_band,
           CASE WHEN who = -1 THEN 'no victim recorded' ELSE ['F', 'M', 'U'][who % 3 + 1] END AS sex
    FROM n
),
y AS (
    SELECT CAST(year AS VARCHAR) AS period, CASE WHEN GROUPING(lad_code) = 1 THEN 'E23000004' ELSE lad_code END
               AS area_code, measure_id,
           CASE WHEN GROUPING(age_band) = 0 THEN 'age_band=' || age_band
                WHEN GROUPING(sex) = 0 THEN 'sex=' || sex ELSE '' END AS breakdown,
           sum(value) AS value
    FROM labelled
    GROUP BY GROUPING SETS ((year, measure_id, lad_code), (year, measure_id),
                            (year, measure_id, age_band, lad_code), (year, measure_id, age_band),
                            (year, measure_id, sex, lad_code), (year, measure_id, sex))
    HAVING GROUPING(lad_code) = 1 OR lad_code IS NOT NULL
),
g AS (  -- police_group_change_2021: distinct crimes by offence group
    SELECT CAST(year(month) AS VARCHAR) AS period,
           CASE WHEN GROUPING(lad_code) = 1 THEN 'E23000004' ELSE lad_code END AS area_code,
           'offence_group=' || coalesce(offence_group, 'unknown') AS breakdown, count(*) AS value
    FROM c
    GROUP BY GROUPING SETS ((year(month), offence_group, lad_code), (year(month), offence_group))
    HAVING GROUPING(lad_code) = 1 OR lad_code IS NOT NULL
)
SELECT measure_id, period, area_code, breakdown, value FROM y
UNION ALL
SELECT 'police_group_change_2021', period, area_code, breakdown, value FROM g
