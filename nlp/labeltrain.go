package nlp

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
)

// LabelTraining is one run of the labelling loop's training step (`convintel
// nlp train`): the shop's label files merged with the base data, a new
// version trained, gated against the active one and stored.
type LabelTraining struct {
	Task    string   // TaskIntent or TaskSentiment
	Topics  string   // topic dictionary file ("" = embedded)
	DataDir string   // public corpora of the base data ("" = DefaultDataDir)
	Files   []string // the shop's labelled CSV files
	In      RetrainInput
	// Activate an accepted version; OnlyGiven leaves out the label files
	// kept from earlier accepted versions; Force activates even a refused one.
	Activate, OnlyGiven, Force bool
}

// TrainWithLabels reads the label files, retrains, gates, stores and (per
// t) activates, writing what it did and the gate's table to w. A refused
// version returns an error wrapping ErrGateRefused (unless t.Force).
func (r Registry) TrainWithLabels(ctx context.Context, w io.Writer, t LabelTraining) error {
	if t.Task != TaskIntent && t.Task != TaskSentiment {
		return fmt.Errorf("--task %q: use %s or %s", t.Task, TaskIntent, TaskSentiment)
	}
	st, err := r.Active()
	if err != nil {
		return err
	}
	active, err := r.LoadActive(t.Topics)
	if err != nil {
		return err
	}
	known := KnownLabels(t.Task, active)
	var given []ShopFile
	var givenPaths, givenDigests []string
	for _, name := range t.Files {
		sf, err := ReadShopLabelsFile(name, t.Task, known)
		if err != nil {
			return err
		}
		if len(sf.Labels) == 0 {
			return fmt.Errorf("%s: no labelled rows (%d rows with an empty label column): label some rows first", name, sf.Skipped)
		}
		given = append(given, sf)
		givenPaths, givenDigests = append(givenPaths, name), append(givenDigests, sf.SHA256)
	}
	// The labels of earlier accepted versions first (a later file's label
	// of the same event wins), unless --only-given.
	if !t.OnlyGiven {
		kept, err := r.KeptLabels()
		if err != nil {
			return err
		}
		for _, k := range kept {
			if slices.ContainsFunc(givenDigests, func(d string) bool { return strings.HasPrefix(d, KeptDigest(k)) }) {
				continue // given again
			}
			sf, err := ReadShopLabelsFile(k, t.Task, known)
			if err != nil {
				return fmt.Errorf("kept labels: %w (remove the file to train without it)", err)
			}
			t.In.Shop = append(t.In.Shop, sf)
		}
	}
	t.In.Shop = append(t.In.Shop, given...)
	if t.DataDir == "" {
		t.DataDir = DefaultDataDir()
	}
	base, err := BaseCorpus(t.Task, t.DataDir)
	if err != nil {
		return err
	}
	heldOut, skipped, err := BuiltinHeldOut(t.Task, t.DataDir)
	if err != nil {
		return err
	}
	if t.DataDir == "" {
		fmt.Fprintln(w, "no --data: training without the public corpora the embedded model was trained on, so it may lose to the embedded model on the held-out sets")
	}
	for _, s := range skipped {
		fmt.Fprintf(w, "held-out set skipped: %s\n", s)
	}
	t.In.Task, t.In.Base, t.In.BuiltinHeldOut = t.Task, base, heldOut
	activeName := st.Version
	if activeName == "" {
		activeName = active.Version()
	}
	cand, man, err := Retrain(ctx, active, activeName, t.In)
	if err != nil {
		return err
	}
	man, err = r.Add(cand, man)
	if err != nil {
		return err
	}
	for _, s := range man.Sources {
		if s.Kind == "shop" {
			fmt.Fprintf(w, "%s: %d labelled rows, %d trained on, %d held out\n", s.Name, s.Rows, s.Train, s.HeldOut)
		}
	}
	if len(t.In.Shop) > len(given) {
		fmt.Fprintf(w, "(%d label files kept from earlier accepted versions included; --only-given leaves them out)\n", len(t.In.Shop)-len(given))
	}
	fmt.Fprintf(w, "trained %s version %s on %d examples\n\n", t.Task, man.Version, man.TrainedOn)
	man.Gate.Format(w)
	if !man.Gate.Passed {
		if !t.Force {
			return fmt.Errorf("version %s refused: %w", man.Version, ErrGateRefused)
		}
		if _, err := r.Activate(man.Version, true); err != nil {
			return err
		}
		fmt.Fprintf(w, "%s was refused by the gate and activated anyway (--force); its labels are not kept. Undo: convintel nlp models rollback\n", man.Version)
		return nil
	}
	if err := r.KeepLabels(givenPaths, givenDigests, man.Created); err != nil {
		return fmt.Errorf("keep the labels of %s for later trainings: %w", man.Version, err)
	}
	if !t.Activate {
		fmt.Fprintf(w, "stored %s, not activated (--no-activate): convintel nlp models activate %s\n", man.Version, man.Version)
		return nil
	}
	if _, err := r.Activate(man.Version, false); err != nil {
		return err
	}
	fmt.Fprintf(w, "%s is now active (was %s); a running ingest switches to it within 10 s. Undo: convintel nlp models rollback\n", man.Version, activeName)
	return nil
}
