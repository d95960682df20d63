package edge

import (
	"net/url"
	"testing"

	"github.com/vitrine/vitrine"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	valid := func() Config {
		c := DefaultConfig()
		c.Origin = &url.URL{Scheme: "http", Host: "origin:8080"}
		c.PurgeSecret = testSecret
		return c
	}
	tests := []struct {
		name   string
		change func(*Config)
		ok     bool
	}{
		{"defaults", func(*Config) {}, true},
		{"disk", func(c *Config) { c.DiskDir = "/var/cache/vitrine" }, true},
		{"no stale", func(c *Config) { c.StaleWhileRevalidate = 0 }, true},
		{"no origin", func(c *Config) { c.Origin = nil }, false},
		{"ftp origin", func(c *Config) { c.Origin.Scheme = "ftp" }, false},
		{"origin with query", func(c *Config) { c.Origin.RawQuery = "a=b" }, false},
		{"no memory", func(c *Config) { c.MemoryBytes = 0 }, false},
		{"disk without bound", func(c *Config) { c.DiskDir, c.DiskBytes = "/d", 0 }, false},
		{"short secret", func(c *Config) { c.PurgeSecret = []byte("short") }, false},
		{"negative stale", func(c *Config) { c.StaleWhileRevalidate = -1 }, false},
		{"no timeout", func(c *Config) { c.OriginTimeout = 0 }, false},
		{"forwarding cookies", func(c *Config) { c.ForwardHeaders = []string{"cookie"} }, false},
	}
	for _, tt := range tests {
		c := valid()
		tt.change(&c)
		err := c.Validate()
		if (err == nil) != tt.ok {
			t.Errorf("%s: Validate() = %v, want ok %v", tt.name, err, tt.ok)
		}
		if err != nil && vitrine.ErrorCode(err) != vitrine.EINVALID {
			t.Errorf("%s: error code %q, want %q", tt.name, vitrine.ErrorCode(err), vitrine.EINVALID)
		}
	}
}
