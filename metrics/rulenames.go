package metrics

// The alert rules of metrics.md §8 (until the rule descriptors land).
const (
	RuleTopicSurge     = "topic_surge"
	RuleDropoffSpike   = "dropoff_spike"
	RuleNegativeSurge  = "negative_surge"
	RuleFallbackSpike  = "fallback_spike"
	RuleConversionDrop = "conversion_drop"
)
