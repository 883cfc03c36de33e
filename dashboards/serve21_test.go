package dashboards

import (
	"regexp"
	"testing"
)

// TestFilterDatesAsThePageWritesThem: the filter form's From and To were
// date inputs, which a browser draws in its own locale: on the alerts
// page of 2026-W40 an English Chromium showed "09/28/2026" and
// "10/04/2026" under a header reading "2026-09-28 – 2026-10-04", on the
// zh pages too, and a date copied from the page could not be pasted into
// them. They hold the date as every page writes it, 2026-09-28, typed
// like the week beside them.
func TestFilterDatesAsThePageWritesThem(t *testing.T) {
	_, ts := newServer(t, &recordingSource{}, DefaultSettings())
	input := regexp.MustCompile(`<input[^>]*name="(from|to)"[^>]*>`)
	for _, path := range []string{"/alerts?week=2026-W47&lang=en", "/alerts?week=2026-W47", "/gmv?from=2026-11-16&to=2026-11-22"} {
		_, body := get(t, ts.URL+path, "")
		fields := input.FindAllString(body, -1)
		if len(fields) != 2 {
			t.Fatalf("%s: %d date fields in the filter form, want From and To", path, len(fields))
		}
		want := map[string]string{"from": `value="2026-11-16"`, "to": `value="2026-11-22"`}
		for _, f := range fields {
			name := input.FindStringSubmatch(f)[1]
			if regexp.MustCompile(`type="date"`).MatchString(f) {
				t.Errorf("%s: %s is a date input, drawn in the browser's locale (09/28/2026), not as the page writes dates: %s", path, name, f)
			}
			if !regexp.MustCompile(regexp.QuoteMeta(want[name])).MatchString(f) || !regexp.MustCompile(`pattern="`).MatchString(f) {
				t.Errorf("%s: %s does not hold the period's date as the page writes it (%s), with a pattern: %s", path, name, want[name], f)
			}
		}
	}
}
