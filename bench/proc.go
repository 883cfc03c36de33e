package bench

import (
	"fmt"
	"os"
	"strconv"
	"strings"

	"github.com/convintel/convintel/ingest"
)

// IngestSummary is what `convintel ingest --summary` writes at exit and
// the ingest stage reads back: the process's own counts and resources.
type IngestSummary struct {
	Consumed      int64   `json:"consumed"`
	Stored        int64   `json:"stored"`
	DeadLettered  int64   `json:"dead_lettered"`
	Batches       int64   `json:"batches"`
	ActiveSeconds float64 `json:"active_seconds"`
	PeakRSSBytes  int64   `json:"peak_rss_bytes"`
	CPUSeconds    float64 `json:"cpu_seconds"`
}

// SummaryOf is the summary of this process after ingesting c.
func SummaryOf(c ingest.Counts) IngestSummary {
	return IngestSummary{Consumed: c.Consumed, Stored: c.Stored, DeadLettered: c.DeadLettered, Batches: c.Batches,
		ActiveSeconds: c.Last.Sub(c.First).Seconds(), PeakRSSBytes: peakRSS(), CPUSeconds: ProcessCPU(os.Getpid())}
}

// peakRSS returns this process's peak resident set size (VmHWM), or 0.
func peakRSS() int64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// ProcessCPU returns the user+system CPU seconds process pid has used
// (0 when /proc is not readable).
func ProcessCPU(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the ")" that ends the command name; utime and stime are
	// the 14th and 15th fields of the whole line, in clock ticks (100 Hz).
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return 0
	}
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100
}
