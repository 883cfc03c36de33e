package metrics

import (
	_ "embed"
	"errors"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// QASettings are the rules of quality inspection (metrics.md §9) and the
// service levels §10 measures agents against: `metrics.qa` in the config.
// Every list, weight and threshold is here; a shop may override its
// service hours and SLAs and add phrases under Shops.
type QASettings struct {
	// ServiceHours is the local time span replies are judged in,
	// "HH:MM-HH:MM" (24:00 is midnight; a span like 20:00-02:00 runs over
	// midnight; 00:00-24:00 is all day).
	ServiceHours string `yaml:"service_hours"`
	// ReplySLA: an agent reply later than this after the customer message
	// it answers is slow_reply (Taobao's 3-minute rule).
	ReplySLA time.Duration `yaml:"reply_sla"`
	// FirstResponseSLA: the first agent message after a handoff later than
	// this is slow_first_response.
	FirstResponseSLA time.Duration `yaml:"first_response_sla"`
	// TakeoverWithin: how soon a handoff or agent must follow a 紧急接管
	// trigger (and before the customer writes again).
	TakeoverWithin time.Duration `yaml:"takeover_within"`
	// SlowReplyCap bounds the points all slow replies of one consultation
	// take off its qa_score.
	SlowReplyCap int       `yaml:"slow_reply_cap"`
	Weights      QAWeights `yaml:"weights"`
	// DefaultPhrases keeps the shipped lists (metrics/qa_phrases.yaml);
	// false uses only the configured ones.
	DefaultPhrases bool `yaml:"default_phrases"`
	// Phrases are added to the lists for every shop.
	Phrases PhraseLists `yaml:"phrases"`
	// PhraseFiles are YAML files shaped like Phrases (a shop's own lists),
	// added for every shop; read and checked at start.
	PhraseFiles []string `yaml:"phrase_files"`
	// Shops override service hours and SLAs and add phrases per shop_id.
	Shops []ShopQA `yaml:"shops"`
}

// QAWeights are the points a violation takes off a consultation's qa_score.
type QAWeights struct {
	Rude              int `yaml:"rude"`
	AbsoluteClaim     int `yaml:"absolute_claim"`
	Diversion         int `yaml:"diversion"`
	Inducement        int `yaml:"inducement"`
	SlowReply         int `yaml:"slow_reply"`
	SlowFirstResponse int `yaml:"slow_first_response"`
	MissedTakeover    int `yaml:"missed_takeover"`
	LeftUnanswered    int `yaml:"left_unanswered"`
}

// PhraseLists are forbidden phrases by category.
type PhraseLists struct {
	Rude          []string `yaml:"rude"`
	AbsoluteClaim []string `yaml:"absolute_claim"`
	Diversion     []string `yaml:"diversion"`
	Inducement    []string `yaml:"inducement"`
}

// ShopQA is one shop's overrides; zero values keep the shared setting.
type ShopQA struct {
	ShopID           string        `yaml:"shop_id"`
	ServiceHours     string        `yaml:"service_hours"`
	ReplySLA         time.Duration `yaml:"reply_sla"`
	FirstResponseSLA time.Duration `yaml:"first_response_sla"`
	Phrases          PhraseLists   `yaml:"phrases"`
}

// Phrase categories of forbidden_phrase, in report order.
var PhraseCategories = []string{"rude", "absolute_claim", "diversion", "inducement"}

// QA rules, in report order.
var QARules = []string{"forbidden_phrase", "slow_reply", "slow_first_response", "missed_takeover", "left_unanswered"}

func (p PhraseLists) byCategory() [][]string {
	return [][]string{p.Rude, p.AbsoluteClaim, p.Diversion, p.Inducement}
}

//go:embed qa_phrases.yaml
var defaultPhrasesYAML []byte

// DefaultQASettings returns the defaults of metrics.md §9.
func DefaultQASettings() QASettings {
	return QASettings{
		ServiceHours: "08:00-24:00", ReplySLA: 180 * time.Second, FirstResponseSLA: 30 * time.Second,
		TakeoverWithin: 60 * time.Second, SlowReplyCap: 20, DefaultPhrases: true,
		Weights: QAWeights{Rude: 20, AbsoluteClaim: 10, Diversion: 30, Inducement: 20,
			SlowReply: 5, SlowFirstResponse: 5, MissedTakeover: 20, LeftUnanswered: 10},
	}
}

// serviceHours is a parsed span of the local day, in ms from midnight.
type serviceHours struct{ open, close int64 }

// contains reports whether ms-of-day t is inside; open == close is all day.
func (h serviceHours) contains(t int64) bool {
	switch {
	case h.open == h.close:
		return true
	case h.open < h.close:
		return t >= h.open && t < h.close
	}
	return t >= h.open || t < h.close
}

func parseServiceHours(s string) (serviceHours, error) {
	a, b, ok := strings.Cut(strings.TrimSpace(s), "-")
	if !ok {
		return serviceHours{}, fmt.Errorf("%q: write HH:MM-HH:MM, e.g. 08:00-24:00", s)
	}
	parse := func(v string) (int64, error) {
		h, m, ok := strings.Cut(strings.TrimSpace(v), ":")
		hh, err1 := strconv.Atoi(h)
		mm, err2 := strconv.Atoi(m)
		if !ok || err1 != nil || err2 != nil || len(m) != 2 || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
			return 0, fmt.Errorf("%q: %q is not a time of day HH:MM (00:00..24:00)", s, v)
		}
		return int64(hh*3600+mm*60) * 1000, nil
	}
	o, err := parse(a)
	if err != nil {
		return serviceHours{}, err
	}
	c, err := parse(b)
	if err != nil {
		return serviceHours{}, err
	}
	if o == 24*3600*1000 {
		return serviceHours{}, fmt.Errorf("%q: opening time 24:00 is not a time of the day; use 00:00", s)
	}
	if c == 24*3600*1000 {
		c = 0
		if o == 0 {
			return serviceHours{0, 0}, nil
		}
	}
	if o == c {
		return serviceHours{}, fmt.Errorf("%q: opening and closing are the same time; write 00:00-24:00 for all day", s)
	}
	return serviceHours{o, c}, nil
}

// problem is one invalid setting: the YAML path below metrics.qa and what
// to fix. Located problems (from a file) carry their own position.
type problem struct {
	path []string
	msg  string
}

// check lists every problem of q, paths relative to metrics.qa.
func (q QASettings) check() []problem {
	var out []problem
	bad := func(msg string, path ...string) { out = append(out, problem{path, msg}) }
	if _, err := parseServiceHours(q.ServiceHours); err != nil {
		bad("service_hours "+err.Error(), "service_hours")
	}
	durs := []struct {
		name string
		v    time.Duration
		def  string
	}{{"reply_sla", q.ReplySLA, "180s"}, {"first_response_sla", q.FirstResponseSLA, "30s"}, {"takeover_within", q.TakeoverWithin, "60s"}}
	for _, d := range durs {
		if d.v <= 0 || d.v > 24*time.Hour || d.v%time.Millisecond != 0 {
			bad(fmt.Sprintf("%s %s: must be a positive whole number of milliseconds up to 24h (default %s)", d.name, d.v, d.def), d.name)
		}
	}
	if q.SlowReplyCap < 0 || q.SlowReplyCap > 100 {
		bad(fmt.Sprintf("slow_reply_cap %d: must be 0..100 points (default 20)", q.SlowReplyCap), "slow_reply_cap")
	}
	w := q.Weights
	for _, x := range []struct {
		name string
		v    int
	}{{"rude", w.Rude}, {"absolute_claim", w.AbsoluteClaim}, {"diversion", w.Diversion}, {"inducement", w.Inducement},
		{"slow_reply", w.SlowReply}, {"slow_first_response", w.SlowFirstResponse}, {"missed_takeover", w.MissedTakeover}, {"left_unanswered", w.LeftUnanswered}} {
		if x.v < 0 || x.v > 100 {
			bad(fmt.Sprintf("weights.%s %d: must be 0..100 points", x.name, x.v), "weights", x.name)
		}
	}
	out = append(out, checkPhrases(q.Phrases, "phrases")...)
	seen := map[string]bool{}
	for i, s := range q.Shops {
		idx := strconv.Itoa(i)
		if strings.TrimSpace(s.ShopID) == "" {
			bad(fmt.Sprintf("shops[%d]: shop_id is required", i), "shops", idx)
		} else if seen[s.ShopID] {
			bad(fmt.Sprintf("shops[%d] %q: listed twice; merge the two entries", i, s.ShopID), "shops", idx, "shop_id")
		}
		seen[s.ShopID] = true
		if s.ServiceHours != "" {
			if _, err := parseServiceHours(s.ServiceHours); err != nil {
				bad(fmt.Sprintf("shops[%d].service_hours %s", i, err), "shops", idx, "service_hours")
			}
		}
		for _, d := range []struct {
			name string
			v    time.Duration
		}{{"reply_sla", s.ReplySLA}, {"first_response_sla", s.FirstResponseSLA}} {
			if d.v < 0 || d.v > 24*time.Hour || d.v%time.Millisecond != 0 {
				bad(fmt.Sprintf("shops[%d].%s %s: must be 0 (the shared setting) or a whole number of milliseconds up to 24h", i, d.name, d.v), "shops", idx, d.name)
			}
		}
		out = append(out, checkPhrases(s.Phrases, "shops", idx, "phrases")...)
	}
	return out
}

// checkPhrases refuses phrases that could never match or would match
// everything.
func checkPhrases(p PhraseLists, path ...string) []problem {
	var out []problem
	for ci, list := range p.byCategory() {
		for i, ph := range list {
			if msg := phraseProblem(ph); msg != "" {
				out = append(out, problem{append(slices.Clone(path), PhraseCategories[ci], strconv.Itoa(i)),
					fmt.Sprintf("%s %s[%d] %q: %s", strings.Join(path, "."), PhraseCategories[ci], i, ph, msg)})
			}
		}
	}
	return out
}

func phraseProblem(ph string) string {
	n := normalizeText(ph)
	switch {
	case strings.TrimSpace(n) == "":
		return "is empty; remove it"
	case len(n) < 2:
		return "is a single letter or digit, which would match almost every message; write the whole word"
	case n != strings.TrimSpace(n):
		return "starts or ends with a space, which would miss the phrase at the start or end of a message; remove the spaces"
	case strings.ContainsAny(n, "[]"):
		return "contains [ or ]: phrases never match inside a mask placeholder such as [PHONE]; remove the brackets"
	case len([]rune(n)) > 40:
		return "is longer than 40 characters; list the short phrase that matters"
	}
	return ""
}

// Validate reports every problem of the settings at once (values set in
// the environment, or built in Go; the config file's own problems are
// reported with their line by UnmarshalYAML), and reads the phrase files.
func (q QASettings) Validate() error {
	var errs []error
	for _, p := range q.check() {
		errs = append(errs, errors.New("metrics.qa."+p.msg))
	}
	if _, err := q.phraseFiles(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// UnmarshalYAML decodes metrics.qa and refuses a malformed setting with
// its line, so a bad config is refused at start saying where.
func (q *QASettings) UnmarshalYAML(n *yaml.Node) error {
	if err := knownKeys(n, "metrics.qa", map[string]map[string]bool{
		"":        fieldsOf(QASettings{}),
		"weights": fieldsOf(QAWeights{}),
		"phrases": fieldsOf(PhraseLists{}),
	}); err != nil {
		return err
	}
	type plain QASettings
	if err := n.Decode((*plain)(q)); err != nil {
		return err
	}
	var errs []error
	for _, p := range q.check() {
		line := lineOf(n, p.path)
		errs = append(errs, fmt.Errorf("line %d: metrics.qa.%s", line, p.msg))
	}
	return errors.Join(errs...)
}

// fieldsOf lists the YAML keys of a struct.
func fieldsOf(v any) map[string]bool {
	out := map[string]bool{}
	b, _ := yaml.Marshal(v)
	var m map[string]any
	_ = yaml.Unmarshal(b, &m)
	for k := range m {
		out[k] = true
	}
	return out
}

// knownKeys refuses unknown keys at the top of n and in its named nested
// mappings (yaml's KnownFields does not reach into a custom unmarshaler).
func knownKeys(n *yaml.Node, where string, keys map[string]map[string]bool) error {
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: %s must be a mapping of settings", n.Line, where)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if !keys[""][k.Value] {
			return fmt.Errorf("line %d: %s has no setting %q; known: %s", k.Line, where, k.Value, strings.Join(sortedKeys(keys[""]), ", "))
		}
		if sub, ok := keys[k.Value]; ok && v.Kind == yaml.MappingNode {
			if err := knownKeys(v, where+"."+k.Value, map[string]map[string]bool{"": sub}); err != nil {
				return err
			}
		}
	}
	return nil
}

func sortedKeys(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// lineOf finds the line of the node at path (mapping keys and sequence
// indexes), or of the deepest node found.
func lineOf(n *yaml.Node, path []string) int {
	line := n.Line
	for _, p := range path {
		switch n.Kind {
		case yaml.MappingNode:
			found := false
			for i := 0; i+1 < len(n.Content); i += 2 {
				if n.Content[i].Value == p {
					line, n, found = n.Content[i].Line, n.Content[i+1], true
					break
				}
			}
			if !found {
				return line
			}
		case yaml.SequenceNode:
			i, err := strconv.Atoi(p)
			if err != nil || i >= len(n.Content) {
				return line
			}
			n = n.Content[i]
			line = n.Line
		default:
			return line
		}
	}
	return line
}

// parsePhraseFile reads a phrase list file (the shape of PhraseLists)
// and says which line is wrong and how to fix it.
func parsePhraseFile(name string, b []byte) (PhraseLists, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(b, &root); err != nil {
		return PhraseLists{}, fmt.Errorf("%s: %w", name, err)
	}
	var p PhraseLists
	if len(root.Content) == 0 {
		return p, nil
	}
	doc := root.Content[0]
	if doc.Kind != yaml.MappingNode {
		return p, fmt.Errorf("%s:%d: a phrase file maps categories (%s) to lists of phrases", name, doc.Line, strings.Join(PhraseCategories, ", "))
	}
	lists := map[string]*[]string{"rude": &p.Rude, "absolute_claim": &p.AbsoluteClaim, "diversion": &p.Diversion, "inducement": &p.Inducement}
	where := map[string]string{} // normalised phrase → "category (line n)"
	var errs []error
	for i := 0; i+1 < len(doc.Content); i += 2 {
		k, v := doc.Content[i], doc.Content[i+1]
		dst, ok := lists[k.Value]
		if !ok {
			errs = append(errs, fmt.Errorf("%s:%d: unknown category %q; use %s", name, k.Line, k.Value, strings.Join(PhraseCategories, ", ")))
			continue
		}
		if v.Kind != yaml.SequenceNode {
			errs = append(errs, fmt.Errorf("%s:%d: %s must be a list of phrases (- 加微信)", name, v.Line, k.Value))
			continue
		}
		for _, item := range v.Content {
			if item.Kind != yaml.ScalarNode {
				errs = append(errs, fmt.Errorf("%s:%d: in %s each item must be one phrase, not a list or mapping", name, item.Line, k.Value))
				continue
			}
			if msg := phraseProblem(item.Value); msg != "" {
				errs = append(errs, fmt.Errorf("%s:%d: %s phrase %q %s", name, item.Line, k.Value, item.Value, msg))
				continue
			}
			norm := normalizeText(item.Value)
			if prev, dup := where[norm]; dup && !strings.HasPrefix(prev, k.Value+" ") {
				errs = append(errs, fmt.Errorf("%s:%d: phrase %q is also listed under %s; keep it in one category", name, item.Line, item.Value, prev))
				continue
			}
			where[norm] = fmt.Sprintf("%s (line %d)", k.Value, item.Line)
			*dst = append(*dst, item.Value)
		}
	}
	return p, errors.Join(errs...)
}

// phraseFiles reads the configured phrase files (and the shipped list when
// DefaultPhrases is set), in order.
func (q QASettings) phraseFiles() ([]PhraseLists, error) {
	var out []PhraseLists
	if q.DefaultPhrases {
		p, err := parsePhraseFile("metrics/qa_phrases.yaml (built in)", defaultPhrasesYAML)
		if err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	var errs []error
	for _, f := range q.PhraseFiles {
		b, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, fmt.Errorf("metrics.qa.phrase_files: %w", err))
			continue
		}
		p, err := parsePhraseFile(f, b)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, p)
	}
	return out, errors.Join(errs...)
}
