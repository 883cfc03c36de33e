package main

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/spf13/cobra"
	"gopkg.in/yaml.v3"
)

func newConfigCmd(a *app) *cobra.Command {
	var list, showSecrets bool
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Print the effective configuration (defaults, file, environment and flags applied)",
		Long: `config prints the configuration convintel would run with, as YAML that can
be saved and edited as a --config file. With --list it prints every setting
with its environment variable and current value instead. Passwords, tokens,
webhook secrets and URLs, and the password in a DSN are shown as xxxxx
unless --show-secrets is given.`,
		Example: `  convintel config > convintel.yaml
  CONVINTEL_METRICS_ATTRIBUTION_WINDOW=48h convintel config --list | grep window`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if list {
				for _, s := range settingsOf(reflect.ValueOf(*a.cfg), "CONVINTEL", "") {
					fmt.Fprintf(cmd.OutOrStdout(), "%-48s %-44s %s\n", s.path, s.env, s.value)
				}
				return nil
			}
			var doc yaml.Node
			if err := doc.Encode(a.cfg); err != nil {
				return err
			}
			if !showSecrets {
				redactYAML(&doc, false)
			}
			b, err := yaml.Marshal(&doc)
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(b)
			return err
		},
	}
	cmd.Flags().BoolVar(&list, "list", false, "one line per setting: YAML path, environment variable, value")
	cmd.Flags().BoolVar(&showSecrets, "show-secrets", false, "print passwords, tokens and webhook secrets as they are")
	return cmd
}

type setting struct{ path, env, value string }

// settingsOf lists every leaf setting of v with its env variable name.
func settingsOf(v reflect.Value, envPrefix, pathPrefix string) []setting {
	var out []setting
	_ = eachSetting(v, envPrefix, pathPrefix, func(path, env string, f reflect.StructField, fv reflect.Value) error {
		val := fmt.Sprint(fv.Interface())
		if fv.Kind() == reflect.Slice && fv.Type().Elem().Kind() == reflect.Struct {
			env = "(YAML only)"
			if fv.Len() > 0 {
				val = fmt.Sprintf("(%d entries, may hold secrets: see convintel config)", fv.Len())
			}
		}
		name := strings.ToLower(f.Tag.Get("yaml"))
		if secretKey(name, false) && val != "" {
			val = "xxxxx"
		} else if strings.Contains(val, "://") {
			val = redactURL(val)
		}
		out = append(out, setting{path: path, env: env, value: val})
		return nil
	})
	return out
}
