package reports

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Kinds are the report names of `convintel report`.
var Kinds = []string{"weekly", "alerts", "gmv", "qa", "agents", "experiments"}

// Generate builds report kind for scope from src and renders it to w.
func Generate(ctx context.Context, src Source, kind string, scope Scope, w io.Writer, o RenderOptions) error {
	switch kind {
	case "weekly":
		r, err := BuildWeekly(ctx, src, scope)
		if err != nil {
			return err
		}
		return RenderWeekly(w, r, o)
	case "alerts":
		r, err := BuildAlerts(ctx, src, scope)
		if err != nil {
			return err
		}
		return RenderAlerts(w, r, o)
	case "gmv":
		r, err := BuildGMV(ctx, src, scope)
		if err != nil {
			return err
		}
		return RenderGMV(w, r, o)
	case "qa":
		r, err := BuildQA(ctx, src, scope)
		if err != nil {
			return err
		}
		return RenderQA(w, r, o)
	case "agents":
		r, err := BuildAgents(ctx, src, scope)
		if err != nil {
			return err
		}
		return RenderAgents(w, r, o)
	case "experiments":
		r, err := BuildExperiments(ctx, src, scope)
		if err != nil {
			return err
		}
		return RenderExperiments(w, r, o)
	}
	return fmt.Errorf("unknown report %q: choose weekly, alerts, gmv, qa, agents or experiments", kind)
}

// WriteFile writes a file through write atomically: readers see the old
// file or the whole new one, never a half-written report.
func WriteFile(path string, write func(io.Writer) error) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
