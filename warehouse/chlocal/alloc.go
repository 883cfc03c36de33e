package chlocal

import "strings"

// MallocConf is the jemalloc configuration of the servers chlocal starts
// (clickhouse-server links jemalloc; a build without it ignores the
// variable). jemalloc's defaults give freed pages back to the kernel after
// 10 s (dirty) and then at once (muzzy_decay_ms 0), so every INSERT and
// merge that allocates its column buffers again touches fresh pages, and a
// page fault on this kind of virtual machine is dear: in a profile of
// ingest it was 16 % of the INSERT threads' CPU. Keeping freed pages for a
// minute, dirty and then muzzy (MADV_FREE, which the kernel reclaims only
// under memory pressure), lets the next INSERT or merge reuse them:
// ClickHouse's CPU per ingested event −15 to −20 %, its resident memory
// about the same (docs/performance.md, "Session 7").
const MallocConf = "dirty_decay_ms:60000,muzzy_decay_ms:60000"

// serverEnv is the environment of a server chlocal starts: env plus
// MallocConf, unless env sets MALLOC_CONF itself (an operator's own choice
// wins).
func serverEnv(env []string) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "MALLOC_CONF=") {
			return env
		}
	}
	return append(env[:len(env):len(env)], "MALLOC_CONF="+MallocConf)
}
