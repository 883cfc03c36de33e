package metrics

import (
	"context"
	"time"

	convsql "github.com/convintel/convintel/sql"
)

func evaluateAlerts(ctx context.Context, conn convsql.Conn, s Settings, d time.Time) (int, error) {
	return 0, nil
}
