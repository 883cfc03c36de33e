package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/convintel/convintel/warehouse"
)

func newMigrateCmd(a *app) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Create or upgrade the ClickHouse schema (also done at every start)",
		Long: `migrate applies the versioned schema files embedded in the binary (sql/migrations)
that the database has not recorded yet in schema_migrations. It is safe to
re-run and every other command runs it at start, so you need it only to
prepare a database ahead of time.`,
		Example: `  convintel migrate --clickhouse clickhouse://ch-1:9000/convintel`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			conn, db, err := a.clickhouse(cmd.Context())
			if err != nil {
				return err
			}
			n, err := warehouse.MigrationsApplied(cmd.Context(), conn)
			if err != nil {
				return err
			}
			migs, err := warehouse.Migrations(db, warehouse.Topology{Cluster: a.cfg.ClickHouse.Cluster, Replicated: a.cfg.ClickHouse.Replicated})
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "database %s: %d of %d migrations applied (latest %s)\n", db, n, len(migs), migs[len(migs)-1].Name)
			return nil
		},
	}
}
