package nlp

// MaskView exposes the masking scan's normalised view of s to the external
// tests (fuzz_test.go).
func MaskView(s string) string { return newMaskView(s).text }
