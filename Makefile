# convintel — the two commands a new machine needs are `make demo` and `make test`.
SHELL      := /bin/bash
GO         ?= go
BIN        := bin/convintel
# CH_PORT empty: the test ClickHouse takes a free loopback port (written to
# $(CH_DIR)/port); set it to insist on one, which is refused when taken.
CH_PORT    ?=
CH_DIR     ?= $(CURDIR)/.cache/clickhouse-test
TEST_DSN    = clickhouse://127.0.0.1:$$(cat $(CH_DIR)/port)
GOTEST     ?= $(GO) test -count=1 -timeout 18m

# APT_INSTALL ends a recipe line that collected the missing packages in $$need.
APT_INSTALL = if [ -n "$$need" ]; then \
	  echo "installing:$$need"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$need >/dev/null; \
	fi

.PHONY: all deps deps-clickhouse build demo test unit clickhouse-start clickhouse-stop bench reliability test-cluster fmt vet clean help

all: build

help: ## list targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-18s %s\n", $$1, $$2}'

deps: deps-clickhouse ## install what is missing (ClickHouse and ZooKeeper from Debian, Chromium for browser tests)
	@need=""; \
	[ -f /usr/share/java/zookeeper.jar ] && command -v java >/dev/null 2>&1 || need="$$need zookeeper"; \
	command -v chromium >/dev/null 2>&1 || need="$$need chromium"; \
	[ -d /usr/share/fonts/opentype/noto ] || need="$$need fonts-noto-cjk"; \
	$(APT_INSTALL)

# The demo needs only ClickHouse: it does not install the test tools.
deps-clickhouse: ## install ClickHouse from Debian if it is missing (all make demo needs)
	@need=""; \
	command -v clickhouse-server >/dev/null 2>&1 || need="$$need clickhouse-server clickhouse-client"; \
	$(APT_INSTALL)

build: ## build bin/convintel
	$(GO) build -o $(BIN) ./cmd/convintel

demo: deps-clickhouse build ## the whole pipeline end to end on this machine (writes ./out)
	./$(BIN) demo --out out

clickhouse-start: deps ## start the test ClickHouse on a free loopback port (or CH_PORT), written to $(CH_DIR)/port
	@.ci/clickhouse.sh start $(CH_DIR) $(CH_PORT)

clickhouse-stop: ## stop the test ClickHouse
	@.ci/clickhouse.sh stop $(CH_DIR)

vet:
	$(GO) vet ./...

# The tests run against a ClickHouse this target started (its instance token
# checked, see .ci/clickhouse.sh), never against whatever answers on a fixed
# port. Output is one line per package; the bench smoke's figures go to
# .cache/bench-smoke.json and its log to .cache/bench-smoke.log.
test: deps build clickhouse-start ## unit and integration tests against a private ClickHouse
	@set -o pipefail; rc=0; dsn="$(TEST_DSN)"; \
	$(GO) vet ./... || rc=$$?; \
	if [ $$rc = 0 ]; then CONVINTEL_TEST_CLICKHOUSE=$$dsn CONVINTEL_BIN=$(CURDIR)/$(BIN) $(GOTEST) ./... || rc=$$?; fi; \
	if [ $$rc = 0 ]; then \
	  if ./$(BIN) bench --smoke --log-level warn --clickhouse $$dsn/bench_smoke --home .cache/bench-smoke --out .cache/bench-smoke.json >.cache/bench-smoke.log 2>&1; \
	  then echo "bench smoke: ok (figures in .cache/bench-smoke.json)"; \
	  else rc=1; echo "bench smoke failed; last lines of .cache/bench-smoke.log:"; tail -20 .cache/bench-smoke.log; fi; \
	fi; \
	.ci/clickhouse.sh stop $(CH_DIR); exit $$rc

bench: deps build ## benchmarks on 10 M generated events (~15 min): table + out/bench.json
	./$(BIN) bench --out out/bench.json
	$(GO) test -run '^$$' -bench . -benchtime 2s ./ingest/ ./nlp/

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin out .cache

# Reliability suite (ingest/reliability, docs/reliability.md). `make test` runs
# its short versions; this runs the full ones: 1 M events, five SIGKILLs, a
# 30 s ClickHouse outage, a rebalance, the hostile corpus (~8 min). Measured
# figures are appended to .cache/reliability-figures.jsonl.
RELIABILITY_FIGURES ?= $(CURDIR)/.cache/reliability-figures.jsonl
FUZZTIME            ?= 20s
.PHONY: fuzz

reliability: deps build ## failure scenarios at full size: crash, outage, rebalance, hostile input (~8 min)
	@mkdir -p $(dir $(RELIABILITY_FIGURES))
	CONVINTEL_RELIABILITY=full CONVINTEL_BIN=$(CURDIR)/$(BIN) CONVINTEL_RELIABILITY_FIGURES=$(RELIABILITY_FIGURES) \
	  $(GO) test -count=1 -timeout 40m -v ./ingest/reliability/

fuzz: ## fuzz the event decoder and the NLP, $(FUZZTIME) each
	$(GO) test -run '^$$' -fuzz '^FuzzDecode$$' -fuzztime $(FUZZTIME) ./ingest/
	$(GO) test -run '^$$' -fuzz '^FuzzAnalyze$$' -fuzztime $(FUZZTIME) ./nlp/

CLUSTER_PORT    ?= 19100
CLUSTER_DIR     ?= $(CURDIR)/.cache/clickhouse-cluster
REPLICATED_PORT ?= 19200
REPLICATED_DIR  ?= $(CURDIR)/.cache/clickhouse-replicated

# The cluster tests also run in `make test`, on clusters they start
# themselves; this runs them on the clusters .ci/cluster.sh starts.
test-cluster: deps ## cluster mode: 2 shards (ports CLUSTER_PORT, +10) and 2×2 replicated with ZooKeeper (REPLICATED_PORT, +10, +20, +30; +50), metrics equal to one server, failover, leader election
	@.ci/cluster.sh start $(CLUSTER_DIR) $(CLUSTER_PORT)
	@.ci/cluster.sh replicated $(REPLICATED_DIR) $(REPLICATED_PORT)
	@rc=0; CONVINTEL_TEST_CLUSTER=clickhouse://127.0.0.1:$(CLUSTER_PORT) \
	  CONVINTEL_TEST_REPLICATED_CLUSTER=clickhouse://127.0.0.1:$(REPLICATED_PORT) \
	  CONVINTEL_TEST_REPLICATED_CLUSTER_CTL="$(CURDIR)/.ci/cluster.sh node $(REPLICATED_DIR)" \
	  $(GO) test -count=1 -timeout 5m -v ./warehouse/clustertest/ ./reports/schedule/leader/ || rc=$$?; \
	.ci/cluster.sh stop $(CLUSTER_DIR); .ci/cluster.sh stop $(REPLICATED_DIR); exit $$rc
