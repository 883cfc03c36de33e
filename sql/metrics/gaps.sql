-- metrics.md §7 knowledge gaps: unanswered questions (a customer message
-- whose next bot message falls back) of the day's consultations, grouped
-- by signature, with up to 3 masked examples and their intents and
-- products (as counted pairs, for the top intent and product).
INSERT INTO metric_gaps (date, shop_id, signature, count, examples, intents, intent_counts, products, product_counts)
SELECT date, shop_id, sig, sum(n), arraySlice(arraySort(groupUniqArrayArray(texts)), 1, 3),
    arrayMap(x -> x.1, arraySort(groupArray((gi, gp, toUInt64(n)))) AS pairs), arrayMap(x -> x.3, pairs), arrayMap(x -> x.2, pairs), arrayMap(x -> x.3, pairs)
FROM (
    SELECT date, shop_id, sig, gi, gp, count() AS n, arraySlice(arraySort(groupUniqArray(gt)), 1, 3) AS texts
    FROM metric_consultations
    ARRAY JOIN gap_signatures AS sig, gap_intents AS gi, gap_products AS gp, gap_texts AS gt
    WHERE date >= toDate('{{.From}}') AND date <= toDate('{{.To}}')
    GROUP BY date, shop_id, sig, gi, gp
)
GROUP BY date, shop_id, sig
