// Package dashboards serves the reports live over HTTP: the weekly
// funnel, early-warning and GMV pages with their filters in the URL, the
// JSON API behind them (/api/v1/metrics/{name}), the report archive,
// /metrics for Prometheus and /healthz.
//
// Every request except /healthz passes the configured bearer token or
// basic auth; the server refuses to listen beyond loopback without one.
// Filter values are validated and only reach ClickHouse as bound query
// arguments through metrics.Show. It must not compute metrics itself.
package dashboards
