package metrics

// GrowthParams are what the §11–§14 job templates (experiments.sql,
// hourly.sql, retention.sql, roi.sql) see beside rangeParams: numbers
// computed from validated settings, never user text.
type GrowthParams struct {
	NightFrom, NightTo   int   // §12 night hours [from, to)
	LookbackDays         int   // §13
	SilentDays           int   // §13
	LookbackMs, SilentMs int64 // the same in ms
	MinHumanOnly         int   // §14: below this a day uses the 28-day median
	WrapUpMs             int64
	HourlyCostCents      int64
	HoursPerDay          float64
}

// roiMinHumanOnly is §14's "fewer than 20 human-only consultations".
const roiMinHumanOnly = 20

func growthParams(s Settings) GrowthParams {
	from, to, _ := s.Hourly.hours() // validated
	const day = 24 * 3600 * 1000
	return GrowthParams{
		NightFrom: from, NightTo: to,
		LookbackDays: s.Retention.Lookback, SilentDays: s.Retention.SilentAfter,
		LookbackMs: int64(s.Retention.Lookback) * day, SilentMs: int64(s.Retention.SilentAfter) * day,
		MinHumanOnly:    roiMinHumanOnly,
		WrapUpMs:        s.ROI.WrapUp.Milliseconds(),
		HourlyCostCents: int64(s.ROI.HourlyCost*100 + 0.5),
		HoursPerDay:     s.ROI.HoursPerDay,
	}
}
