// Package nlp enriches customer-service chat messages before they are
// stored: PII masking, Chinese/English segmentation, intent classification,
// product-attribute topics, sentiment and a normalised question signature.
//
// Everything the default Model needs (segmentation dictionary, trained
// intent and sentiment weights, topic dictionary, sentiment lexicon) is
// embedded in the binary; nothing is read from disk or the network unless
// Load is given a model directory or a topics file. The package owns text
// understanding only: it must not know about Kafka, ClickHouse or metrics.
package nlp

//go:generate go run ./cmd/trainmodels -train train -out models -dev ../testdata/nlp
