// Package bench is the benchmark harness behind `convintel bench`: it
// generates simulated traffic and measures, on the same data in one run,
// ingest through Kafka (with and without NLP, ingest and the broker as
// separate processes), a plain-insert ceiling, NLP, import, the metric
// jobs, the weekly report and the dashboard API, into typed Results.
//
// It sits right of every product package (it drives them all) and must
// not be imported by any of them; cmd/convintel wires its Options from
// the configuration.
package bench
