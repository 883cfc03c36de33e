package clustertest

import (
	"os"
	"testing"

	"github.com/convintel/convintel/warehouse/chtest"
)

func TestMain(m *testing.M) {
	code := m.Run()
	chtest.StopCluster()
	chtest.Stop()
	os.Exit(code)
}
