package warehouse

import (
	"context"
	"fmt"
)

// SyncReplicas makes every answering replica hold the parts its shard's
// other replicas have of tables (SYSTEM SYNC REPLICA of <db>_local.<table>
// on each node). Writes through a shard's pool land on one replica and
// reach the others asynchronously, and a Distributed read may pick any
// replica: metrics.Run calls this between the shard jobs and what it
// reads through Distributed (the cross-shard jobs, the alerts), so those
// reads see the jobs' rows (and not a partition the jobs replaced) on
// whichever replica they land. Without replication it does nothing. A node
// that does not answer is skipped: Distributed reads skip it too.
func (c *Cluster) SyncReplicas(ctx context.Context, tables ...string) error {
	if !c.Replicated || len(tables) == 0 {
		return nil
	}
	for _, n := range c.Nodes {
		if c.isDown(n.Addr) {
			continue
		}
		err := c.query(ctx, n.Addr, func(conn Conn) error {
			for _, t := range tables {
				if !identRe.MatchString(t) {
					return fmt.Errorf("sync replica: bad table name %q", t)
				}
				s, err := statement("cluster/sync_replica.sql", map[string]string{"LocalDB": c.LocalDB, "Table": t})
				if err != nil {
					return err
				}
				if err := conn.Exec(ctx, s); err != nil {
					return fmt.Errorf("%s.%s: %w", c.LocalDB, t, err)
				}
			}
			return nil
		})
		if err != nil && isUnreachable(err) && ctx.Err() == nil {
			continue
		}
		if err != nil {
			return fmt.Errorf("cluster %s node %s: %w", c.Name, n.Addr, err)
		}
	}
	return nil
}
