-- buyer_slice: the condition that keeps one buyer slice of a metric job's
-- statement (metrics.md "Bounded statements", metrics/slices.go): the
-- buyers whose (shop_id, customer_id) lie in [lo, hi) in sort order. Every
-- table such a job reads is sorted by (shop_id, customer_id) first, so the
-- condition also prunes the granules of other slices. An unsliced statement
-- (.Slice.Lo and .Slice.Hi unset) renders nothing. The bounds are bound as
-- query arguments, never written into the text.
{{define "buyer_slice"}}{{if .Slice.Lo}} AND (shop_id > @slice_lo_shop OR (shop_id = @slice_lo_shop AND customer_id >= @slice_lo_customer)){{end}}{{if .Slice.Hi}} AND (shop_id < @slice_hi_shop OR (shop_id = @slice_hi_shop AND customer_id < @slice_hi_customer)){{end}}{{end}}
