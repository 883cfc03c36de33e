{{- /* One conversation's contribution to the series, as (kind, product,
topics, n, d) tuples, over its events before hour .Cutoff ("new", sign +1)
or before hour .Prev ("old", sign -1); none without a customer message. */ -}}
{{define "rs"}}arrayResize(arrayConcat(
            [('volume', '', [''], toInt64(1), toInt64(0)),
             ('fallback_spike', '', [''], toInt64(fallbacks_{{.}}), toInt64(bot_msgs_{{.}}))],
            arrayFilter(x -> x.2 != '', [
                ('negative_surge', product_{{.}}, [''], toInt64(negative_{{.}}), toInt64(1)),
                ('product_messages', product_{{.}}, [''], toInt64(cust_msgs_{{.}}), toInt64(0))]),
            arrayFilter(x -> x.2 != '' AND notEmpty(x.3),
                arrayMap((tl, n) -> ('topic_surge', (arrayFilter(p -> p != '', ev_{{.}}.3) AS named_{{.}})[n], tl, toInt64(1), toInt64(0)),
                    ev_{{.}}.4, arrayCumSum(arrayMap(p -> toUInt32(p != ''), ev_{{.}}.3))))
        ) AS all_{{.}}, if(start_{{.}} > 0, length(all_{{.}}), 0)){{end -}}
-- metrics.md §8 "Alerts v2", intraday: the day-so-far series of the hourly
-- rules at {{.Cutoff}}:00 of {{.Date}} (the consultations that started
-- before it, with their events before it, each event once by event_id) =
-- the series at {{.Prev}}:00 plus, for each conversation active in hour
-- {{.Prev}}, its contribution over its events before {{.Cutoff}}:00 minus
-- the one over its events before {{.Prev}}:00. Read from
-- metric_alert_intraday_parts (one row per conversation and hour), so the
-- cost is that of the hour's conversations. kinds as in alert_hours.sql:
-- volume, topic_surge, product_messages, negative_surge, fallback_spike. A
-- conversation's product is the first one it names (started event or
-- message), a topic message's the latest one named up to it, as in the
-- consultation summary. Only the day itself is read: a conversation whose
-- first customer message came before midnight starts, here, at its first
-- one after it.
INSERT INTO metric_alert_intraday_series (date, hour, kind, shop_id, product_id, topic, num, den)
SELECT toDate('{{.Date}}'), {{.Cutoff}}, kind, shop_id, product_id, topic, sum(n) AS num, sum(d) AS den
FROM (
  SELECT kind, shop_id, product_id, topic, num AS n, den AS d
  FROM metric_alert_intraday_series
  WHERE date = toDate('{{.Date}}') AND hour = {{.Prev}} AND kind != ''
  UNION ALL
  -- The conversations whose first hour is {{.Prev}} (most of them): their
  -- one row is their contribution; nothing to subtract.
  SELECT kind, shop_id, product_id, topic, n, d
  FROM (
    SELECT r.1 AS kind, shop_id, r.2 AS product_id, r.3 AS topics, r.4 AS n, r.5 AS d
    FROM (
      SELECT shop_id, {{template "rs" "new"}} AS rs
      FROM (
          SELECT shop_id, start_ms AS start_new, product_id AS product_new, negative AS negative_new,
              bot_msgs AS bot_msgs_new, fallbacks AS fallbacks_new, customer_msgs AS cust_msgs_new,
              arrayMap((t, e, p, tl) -> (t, e, p, tl), ev_ts, ev_id, ev_product, ev_topics) AS ev_new
          FROM metric_alert_intraday_parts
          PREWHERE date = toDate('{{.Date}}') AND hour = {{.Prev}} AND mark = 0
          WHERE conv NOT IN (
              SELECT conv FROM metric_alert_intraday_parts
              WHERE date = toDate('{{.Date}}') AND hour < {{.Prev}} AND mark = 0)
      )
    )
    ARRAY JOIN rs AS r
  )
  ARRAY JOIN topics AS topic
  UNION ALL
  -- The conversations active in hour {{.Prev}} and before it: their new
  -- contribution minus their old one.
  SELECT kind, shop_id, product_id, topic, n, d
  FROM (
    SELECT r.1 AS kind, shop_id, r.2 AS product_id, r.3 AS topics, r.4 * r.6 AS n, r.5 * r.6 AS d
    FROM (
      SELECT shop_id,
          arrayConcat(
              arrayMap(x -> (x.1, x.2, x.3, x.4, x.5, toInt64(1)), {{template "rs" "new"}}),
              arrayMap(x -> (x.1, x.2, x.3, x.4, x.5, toInt64(-1)), {{template "rs" "old"}})
          ) AS rs
      FROM (
          SELECT shop_id, customer_id, conversation_id,
              minIf(start_ms, start_ms > 0) AS start_new,
              minIf(start_ms, start_ms > 0 AND hour < {{.Prev}}) AS start_old,
              argMinIf(product_id, product_ms, product_ms > 0) AS product_new,
              argMinIf(product_id, product_ms, product_ms > 0 AND hour < {{.Prev}}) AS product_old,
              max(negative) AS negative_new,
              maxIf(negative, hour < {{.Prev}}) AS negative_old,
              sum(bot_msgs) AS bot_msgs_new,
              sumIf(bot_msgs, hour < {{.Prev}}) AS bot_msgs_old,
              sum(fallbacks) AS fallbacks_new,
              sumIf(fallbacks, hour < {{.Prev}}) AS fallbacks_old,
              sum(customer_msgs) AS cust_msgs_new,
              sumIf(customer_msgs, hour < {{.Prev}}) AS cust_msgs_old,
              -- an event is in the hour it is stamped in: the hours' lists are disjoint
              arraySort(groupArrayArray(arrayMap((t, e, p, tl) -> (t, e, p, tl), ev_ts, ev_id, ev_product, ev_topics))) AS ev_new,
              arraySort(groupArrayArrayIf(arrayMap((t, e, p, tl) -> (t, e, p, tl), ev_ts, ev_id, ev_product, ev_topics), hour < {{.Prev}})) AS ev_old
          FROM metric_alert_intraday_parts
          -- found by their number (only that column is read for the day's
          -- other rows); a number shared by chance only adds a conversation
          -- whose new and old contributions cancel out
          PREWHERE conv IN (
              SELECT conv FROM metric_alert_intraday_parts
              WHERE date = toDate('{{.Date}}') AND hour = {{.Prev}} AND mark = 0)
            AND conv IN (
              SELECT conv FROM metric_alert_intraday_parts
              WHERE date = toDate('{{.Date}}') AND hour < {{.Prev}} AND mark = 0)
          WHERE date = toDate('{{.Date}}') AND hour < {{.Cutoff}} AND mark = 0
          GROUP BY shop_id, customer_id, conversation_id
      )
    )
    ARRAY JOIN rs AS r
  )
  -- 18.16 takes one ARRAY JOIN per query level
  ARRAY JOIN topics AS topic
)
GROUP BY kind, shop_id, product_id, topic
HAVING num != 0 OR den != 0
