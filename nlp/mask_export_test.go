package nlp

// MaskView exposes the masking scan's normalised view of s to the external
// tests (fuzz_test.go).
func MaskView(s string) string { return newMaskView(s).text }

// OrderNumberWords are the words that make a mobile-shaped number after
// them an order number (orderNumberBefore), for FuzzAnalyze's promise.
var OrderNumberWords = orderNumberWords
