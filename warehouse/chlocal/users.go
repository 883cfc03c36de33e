package chlocal

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Users of a locked-down local server (Start).
const (
	// AdminUser is ClickHouse's default user, with a generated password:
	// migrations, ingest, import, metric runs and serve's few writes.
	AdminUser = "default"
	// ReaderUser may read and nothing else (readonly = 2: it may still
	// set query settings such as max_execution_time); serve's dashboards
	// and API read through it.
	ReaderUser = "convintel_reader"
	// Files under the data directory (mode 0600) holding the passwords.
	AdminPasswordFile  = "default.password"
	ReaderPasswordFile = "reader.password"
)

type credentials struct{ admin, reader string }

// ensureCredentials reads the passwords kept under dir, generating the
// missing ones (32 random hex characters, mode 0600).
func ensureCredentials(dir string) (*credentials, error) {
	var c credentials
	for _, f := range []struct {
		name string
		v    *string
	}{{AdminPasswordFile, &c.admin}, {ReaderPasswordFile, &c.reader}} {
		path := filepath.Join(dir, f.name)
		b, err := os.ReadFile(path)
		switch {
		case err == nil && len(strings.TrimSpace(string(b))) >= 16:
			*f.v = strings.TrimSpace(string(b))
			if err := os.Chmod(path, 0o600); err != nil {
				return nil, err
			}
			continue
		case err != nil && !errors.Is(err, fs.ErrNotExist):
			return nil, fmt.Errorf("read the local ClickHouse password: %w", err)
		}
		var r [16]byte
		if _, err := rand.Read(r[:]); err != nil {
			return nil, err
		}
		*f.v = hex.EncodeToString(r[:])
		if err := os.WriteFile(path, []byte(*f.v+"\n"), 0o600); err != nil {
			return nil, fmt.Errorf("write the local ClickHouse password: %w", err)
		}
	}
	return &c, nil
}

func sha256Hex(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

// writeLockedConfig writes config.xml and users.xml (both 0600) for a
// server whose users are: default with the generated password, and the
// read-only convintel_reader; both from 127.0.0.1/::1 only.
func writeLockedConfig(dir string, tcpPort, httpPort int, c *credentials) (string, error) {
	users := filepath.Join(dir, "users.xml")
	xml := fmt.Sprintf(`<?xml version="1.0"?>
<!-- Written by convintel (warehouse/chlocal): passwords are in %[3]s and %[4]s. -->
<yandex>
    <profiles>
        <default>
            <max_memory_usage>10000000000</max_memory_usage>
            <load_balancing>random</load_balancing>
        </default>
        <readonly>
            <readonly>2</readonly>
        </readonly>
    </profiles>
    <users>
        <default>
            <password_sha256_hex>%[1]s</password_sha256_hex>
            <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
            <profile>default</profile>
            <quota>default</quota>
        </default>
        <convintel_reader>
            <password_sha256_hex>%[2]s</password_sha256_hex>
            <networks><ip>::1</ip><ip>127.0.0.1</ip></networks>
            <profile>readonly</profile>
            <quota>default</quota>
        </convintel_reader>
    </users>
    <quotas>
        <default>
            <interval>
                <duration>3600</duration>
                <queries>0</queries>
                <errors>0</errors>
                <result_rows>0</result_rows>
                <read_rows>0</read_rows>
                <execution_time>0</execution_time>
            </interval>
        </default>
    </quotas>
</yandex>
`, sha256Hex(c.admin), sha256Hex(c.reader), AdminPasswordFile, ReaderPasswordFile)
	if err := os.WriteFile(users, []byte(xml), 0o600); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "config.xml")
	return path, os.WriteFile(path, []byte(configXMLUsers(dir, tcpPort, httpPort, "", users)), 0o600)
}
