package nlp

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The model registry keeps every model `nlp train` produced under one
// directory (the configured model dir, by default <home>/models):
//
//	<dir>/versions/v0001/manifest.json   what trained it, its held-out figures, the gate's verdict
//	<dir>/versions/v0001/intent.model    the classifiers of that version (both tasks:
//	<dir>/versions/v0001/sentiment.model  a version is a complete model set)
//	<dir>/active.json                    {"version": "v0002", "history": ["builtin", "v0001"]}
//	<dir>/labels/…csv                     the label files of accepted versions (see KeepLabels)
//
// A version directory is written once and never changed (the gate's
// verdict is in its manifest from the start). active.json is replaced
// atomically (write, rename); history is the stack `rollback` pops. The
// version "builtin" is the model embedded in the binary. Without
// active.json the classifiers directly in <dir> (written by earlier
// releases) are used, else the embedded ones.

// BuiltinVersion names the embedded model in the registry's active.json
// and history. Rows it enriched record BuiltinModelVersion() (which also
// identifies the build's weights).
const BuiltinVersion = "builtin"

// Version states.
const (
	StateAccepted = "accepted" // passed the gate (or was activated by hand)
	StateRefused  = "refused"  // failed the gate; kept for the record
)

// Manifest describes one registry version.
type Manifest struct {
	Version string    `json:"version"`
	Created time.Time `json:"created"`
	Task    string    `json:"task"` // the task this version retrained; the other is the parent's
	State   string    `json:"state"`
	// Parent is the version that was active when this one was trained:
	// the gate compared against it, and its other task's classifier was kept.
	Parent    string       `json:"parent"`
	Sources   []DataSource `json:"sources"`
	TrainedOn int          `json:"trained_on"`
	// HeldOut are this version's figures on the held-out sets.
	HeldOut []HeldOutScore `json:"held_out"`
	Gate    *GateResult    `json:"gate,omitempty"`
}

// DataSource is one input of a training run.
type DataSource struct {
	Kind    string `json:"kind"` // "base" (data shipped with the build) or "shop" (labels a shop wrote)
	Name    string `json:"name"` // file path, or the embedded set's name
	SHA256  string `json:"sha256,omitempty"`
	Rows    int    `json:"rows"`     // labelled rows read
	Train   int    `json:"train"`    // of which trained on
	HeldOut int    `json:"held_out"` // of which kept as the shop's held-out set
}

// HeldOutScore is a model's score on one held-out set.
type HeldOutScore struct {
	Set      string  `json:"set"`
	N        int     `json:"n"`
	Accuracy float64 `json:"accuracy"`
	MacroF1  float64 `json:"macro_f1"`
}

// ActiveState is the content of active.json.
type ActiveState struct {
	Version string    `json:"version"`
	History []string  `json:"history"` // earlier active versions, oldest first
	Changed time.Time `json:"changed"`
}

// Registry is the versioned model store under Dir.
type Registry struct{ Dir string }

// ErrNoVersion is returned for a version that is not in the registry.
var ErrNoVersion = errors.New("no such model version")

func (r Registry) versionsDir() string { return filepath.Join(r.Dir, "versions") }

// VersionDir returns the directory of a version.
func (r Registry) VersionDir(v string) string { return filepath.Join(r.versionsDir(), v) }

// Versions lists the manifests of every version, oldest first.
func (r Registry) Versions() ([]Manifest, error) {
	entries, err := os.ReadDir(r.versionsDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []Manifest
	for _, e := range entries {
		if !e.IsDir() || !validVersion(e.Name()) {
			continue
		}
		m, err := r.Manifest(e.Name())
		if errors.Is(err, fs.ErrNotExist) {
			continue // a version being written (manifest comes last)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	slices.SortFunc(out, func(a, b Manifest) int { return versionNumber(a.Version) - versionNumber(b.Version) })
	return out, nil
}

// Manifest reads one version's manifest.
func (r Registry) Manifest(v string) (Manifest, error) {
	var m Manifest
	if !validVersion(v) {
		return m, fmt.Errorf("%w: %q (versions look like v0001)", ErrNoVersion, v)
	}
	b, err := os.ReadFile(filepath.Join(r.VersionDir(v), "manifest.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return m, fmt.Errorf("%w: %s (see `convintel nlp models list`): %w", ErrNoVersion, v, err)
	}
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("%s: %w", filepath.Join(r.VersionDir(v), "manifest.json"), err)
	}
	return m, nil
}

// Active returns the active state; without active.json the version is
// "" (the legacy classifiers in Dir, or the embedded model).
func (r Registry) Active() (ActiveState, error) {
	var s ActiveState
	b, err := os.ReadFile(filepath.Join(r.Dir, "active.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(b, &s); err != nil {
		return s, fmt.Errorf("%s: %w (fix or delete it; `convintel nlp models activate VERSION` rewrites it)", filepath.Join(r.Dir, "active.json"), err)
	}
	return s, nil
}

func (r Registry) writeActive(s ActiveState) error {
	s.Changed = time.Now().UTC().Truncate(time.Second)
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(r.Dir, "active.json"), append(b, '\n'))
}

// Activate makes version v (or BuiltinVersion) the active one and pushes
// the previous active version onto the history. A refused version is
// activated only with force.
func (r Registry) Activate(v string, force bool) (ActiveState, error) {
	if v != BuiltinVersion {
		m, err := r.Manifest(v)
		if err != nil {
			return ActiveState{}, err
		}
		if m.State == StateRefused && !force {
			return ActiveState{}, fmt.Errorf("version %s was refused by the gate (see `convintel nlp models list`); pass --force to activate it anyway", v)
		}
	}
	s, err := r.Active()
	if err != nil {
		return s, err
	}
	cur := s.Version
	if cur == "" {
		cur = BuiltinVersion
	}
	if cur == v {
		return s, nil
	}
	s.History = append(s.History, cur)
	s.Version = v
	return s, r.writeActive(s)
}

// Rollback re-activates the version that was active before the current
// one (popping the history) and returns the new state.
func (r Registry) Rollback() (ActiveState, error) {
	s, err := r.Active()
	if err != nil {
		return s, err
	}
	if len(s.History) == 0 {
		cur := s.Version
		if cur == "" {
			cur = BuiltinVersion
		}
		return s, fmt.Errorf("nothing to roll back to: %s has been active since the registry started (activate another version with `convintel nlp models activate`)", cur)
	}
	s.Version = s.History[len(s.History)-1]
	s.History = s.History[:len(s.History)-1]
	return s, r.writeActive(s)
}

// Add stores a new version: the classifiers of m and manifest (whose
// Version is assigned here, one above the highest so far). The classifier
// of the task man.Task does not name is taken to be man.Parent's and its
// file is linked, not written again (see reuse). Two concurrent
// calls get different versions (the directory is created exclusively).
func (r Registry) Add(m *Model, man Manifest) (Manifest, error) {
	if err := os.MkdirAll(r.versionsDir(), 0o755); err != nil {
		return man, err
	}
	vs, err := os.ReadDir(r.versionsDir())
	if err != nil {
		return man, err
	}
	next := 1
	for _, e := range vs {
		next = max(next, versionNumber(e.Name())+1)
	}
	var dir string
	for ; ; next++ {
		man.Version = fmt.Sprintf("v%04d", next)
		dir = r.VersionDir(man.Version)
		if err := os.Mkdir(dir, 0o755); err == nil {
			break
		} else if !errors.Is(err, fs.ErrExist) {
			return man, err
		}
	}
	for _, c := range []*Classifier{m.intent, m.sentiment} {
		if c.Task != man.Task && r.reuse(c, man.Parent, dir) {
			continue
		}
		if err := c.Save(dir); err != nil {
			return man, fmt.Errorf("save version %s: %w", man.Version, err)
		}
	}
	b, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return man, err
	}
	// The manifest comes last: a version without one is incomplete and
	// not listed.
	return man, writeFileAtomic(filepath.Join(dir, "manifest.json"), append(b, '\n'))
}

// reuse puts the file of a classifier a version did not retrain into dir
// without encoding it again (the sentiment model is megabytes of
// best-compression gzip): a hard link to (or copy of) the parent
// version's file, or the embedded file when c is the embedded classifier.
// It reports whether it did.
func (r Registry) reuse(c *Classifier, parent, dir string) bool {
	name := c.Task + ".model"
	var b []byte
	switch def, err := Default(); {
	case validVersion(parent):
		src := filepath.Join(r.VersionDir(parent), name)
		if os.Link(src, filepath.Join(dir, name)) == nil {
			return true
		}
		if b, err = os.ReadFile(src); err != nil {
			return false
		}
	case err == nil && def.Classifier(c.Task) == c:
		if b, err = embeddedModels.ReadFile("models/" + name); err != nil {
			return false
		}
	default:
		return false
	}
	return writeFileAtomic(filepath.Join(dir, name), b) == nil
}

// LoadActive loads the active model: the active registry version, else
// the classifiers directly in Dir (earlier releases wrote them there),
// else the embedded model. topicsFile is as for Load. The model's
// Version() names what was loaded.
func (r Registry) LoadActive(topicsFile string) (*Model, error) {
	s, err := r.Active()
	if err != nil {
		return nil, err
	}
	return r.LoadVersion(s.Version, topicsFile)
}

// LoadVersion loads version v ("" = as LoadActive without active.json;
// BuiltinVersion = the embedded model).
func (r Registry) LoadVersion(v, topicsFile string) (*Model, error) {
	switch v {
	case "":
		return Load(r.Dir, topicsFile)
	case BuiltinVersion:
		return Load("", topicsFile)
	}
	if _, err := r.Manifest(v); err != nil {
		return nil, err
	}
	m, err := Load(r.VersionDir(v), topicsFile)
	if err != nil {
		return nil, fmt.Errorf("model version %s: %w (activate another one: convintel nlp models rollback, or nlp models activate builtin)", v, err)
	}
	return m.WithVersion(v), nil
}

// WithVersion returns a copy of m that reports version v.
func (m *Model) WithVersion(v string) *Model {
	c := *m
	c.version = v
	return &c
}

// WithClassifier returns a copy of m with c replacing the classifier of
// its task; the copy reports a version derived from its classifiers.
func (m *Model) WithClassifier(c *Classifier) *Model {
	n := *m
	n.version = ""
	n.setClassifier(c)
	return &n
}

// Version names the model for the rows it enriches: the registry version
// it was loaded as (v0003), else BuiltinModelVersion() for the embedded
// classifiers, else "local-" and a hash of the classifiers.
func (m *Model) Version() string {
	if m.version != "" {
		return m.version
	}
	if def, err := Default(); err == nil && m.intent == def.intent && m.sentiment == def.sentiment {
		return BuiltinModelVersion()
	}
	h := sha256.New()
	for _, c := range []*Classifier{m.intent, m.sentiment} {
		if c != nil {
			c.Write(h)
		}
	}
	return "local-" + hex.EncodeToString(h.Sum(nil)[:4])
}

// BuiltinModelVersion is "builtin-" and a hash of the embedded model
// files, so rows enriched by two builds with different weights differ.
var BuiltinModelVersion = sync.OnceValue(func() string {
	h := sha256.New()
	fs.WalkDir(embeddedModels, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || strings.HasSuffix(path, ".md") {
			return err
		}
		b, err := embeddedModels.ReadFile(path)
		if err != nil {
			return err
		}
		io.WriteString(h, path)
		h.Write(b)
		return nil
	})
	return BuiltinVersion + "-" + hex.EncodeToString(h.Sum(nil)[:4])
})

func validVersion(v string) bool { return versionNumber(v) > 0 }

// versionNumber parses "v0012" as 12; anything else is 0.
func versionNumber(v string) int {
	if len(v) < 2 || v[0] != 'v' {
		return 0
	}
	n, err := strconv.Atoi(v[1:])
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

func writeFileAtomic(path string, b []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp := fmt.Sprintf("%s.tmp%d", path, os.Getpid())
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return nil
}

// Labels of accepted versions are kept in the registry, so each training
// builds on every label the shop wrote before:
//
//	<dir>/labels/20261201T093000-<sha256 prefix>-<file name>.csv
//
// Files are kept only once their version passed the gate: labels behind a
// refused model may be the reason it was refused.

func (r Registry) labelsDir() string { return filepath.Join(r.Dir, "labels") }

// KeptLabels lists the kept label files, oldest first.
func (r Registry) KeptLabels() ([]string, error) {
	entries, err := os.ReadDir(r.labelsDir())
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".csv") {
			out = append(out, filepath.Join(r.labelsDir(), e.Name()))
		}
	}
	slices.Sort(out)
	return out, nil
}

// KeptDigest returns the SHA-256 prefix a kept file's name carries, or "".
func KeptDigest(path string) string {
	parts := strings.SplitN(filepath.Base(path), "-", 3)
	if len(parts) < 3 {
		return ""
	}
	return parts[1]
}

// KeepLabels copies the label files (whose SHA-256 is digests[i]) into
// the registry, skipping any whose content is kept already.
func (r Registry) KeepLabels(paths, digests []string, now time.Time) error {
	kept, err := r.KeptLabels()
	if err != nil {
		return err
	}
	have := map[string]bool{}
	for _, k := range kept {
		have[KeptDigest(k)] = true
	}
	for i, p := range paths {
		d := digests[i][:12]
		if have[d] {
			continue
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%s-%s-%s", now.UTC().Format("20060102T150405"), d, strings.ReplaceAll(filepath.Base(p), "-", "_"))
		if !strings.HasSuffix(name, ".csv") {
			name += ".csv"
		}
		if err := writeFileAtomic(filepath.Join(r.labelsDir(), name), b); err != nil {
			return err
		}
		have[d] = true
	}
	return nil
}
