package chlocal

import (
	"fmt"
	"runtime"
	"strings"
)

// MallocConf is the jemalloc configuration of the servers chlocal starts
// on a machine with cores CPUs (clickhouse-server links jemalloc; a build
// without it ignores the variable).
//
// Why: a page fault on this kind of virtual machine is dear (in a profile
// of ingest, faults were 16 % of the INSERT threads' CPU), and jemalloc's
// defaults make ClickHouse fault the same memory in again and again: freed
// pages go back to the kernel after 10 s (dirty) and then at once
// (muzzy_decay_ms 0), and with four arenas per core a merge thread seldom
// gets the pages another thread's INSERT just freed. Keeping freed pages
// for a minute (dirty, then muzzy: MADV_FREE, reclaimed by the kernel only
// under memory pressure) and one arena per four cores lets the next INSERT
// or merge reuse them: page faults per ingested event 0.11 → 0.03,
// ClickHouse CPU per event about −20 %, and the server's peak RSS lower,
// not higher (docs/performance.md, "Session 7"). One arena per four cores
// still leaves a large server's parallel queries an arena per few threads.
func MallocConf(cores int) string {
	return fmt.Sprintf("narenas:%d,dirty_decay_ms:60000,muzzy_decay_ms:60000", max(1, cores/4))
}

// serverEnv is the environment of a server chlocal starts: env plus
// MallocConf for this machine, unless env sets MALLOC_CONF itself (an
// operator's own choice wins).
func serverEnv(env []string) []string {
	for _, kv := range env {
		if strings.HasPrefix(kv, "MALLOC_CONF=") {
			return env
		}
	}
	return append(env[:len(env):len(env)], "MALLOC_CONF="+MallocConf(runtime.NumCPU()))
}
