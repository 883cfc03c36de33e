package warehouse_test

import (
	"context"
	"os"
	"testing"

	"github.com/convintel/convintel/warehouse"
	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.Stop()
	os.Exit(code)
}

// Every migration applied again (as on a cluster node that lacks tables)
// must succeed: an ADD COLUMN whose column exists counts as done, since
// ClickHouse 18.16 has no ADD COLUMN IF NOT EXISTS.
func TestMigrationsRunAgain(t *testing.T) {
	conn, db := chtest.New(t)
	ctx := context.Background()
	if err := conn.Exec(ctx, "DROP TABLE schema_migrations"); err != nil {
		t.Fatal(err)
	}
	n, err := warehouse.Migrate(ctx, conn, db, warehouse.Topology{}, nil)
	if err != nil {
		t.Fatalf("migrations applied again: %v", err)
	}
	migs, _ := warehouse.Migrations(db, warehouse.Topology{})
	if n != len(migs) {
		t.Fatalf("applied %d of %d migrations again", n, len(migs))
	}
	var has uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM system.columns WHERE database = ? AND table = 'messages' AND name = 'nlp_model'", db).Scan(&has); err != nil || has != 1 {
		t.Fatalf("messages.nlp_model: %d %v", has, err)
	}
}
