package delivery

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
)

// replyMeta is what req=props reports beyond the plan: the size of the
// reply when this server has it cached (0 otherwise, as r-props.md
// documents for a reply not cached), the image version, and a metadata
// version.
//
// metadata.version (inferred): Adobe calls it the "metadata version
// identifier". What Vitrine serves of an image's record changes only when
// a version is published, so it is a short digest of the live version and
// the time it went live: it changes whenever the record does.
func (h *Handler) replyMeta(c *vitrine.Company, e *vitrine.CatalogEntry, req *imaging.Request, version string) imaging.ReplyMeta {
	m := imaging.ReplyMeta{Version: version}
	settings := imaging.SettingsFrom(c.Settings)
	key := renditionKey(c.RootID, e.Version.SHA256, req.AsImage().CacheKey(), h.fingerprint(c, settings))
	if n, ok := h.cache.length(key); ok {
		m.Length = int(n)
	}
	sum := sha256.Sum256([]byte(e.Version.SHA256 + "\x00" + strconv.FormatInt(e.PublishedAt.UnixMicro(), 10)))
	m.MetadataVersion = hex.EncodeToString(sum[:8])
	return m
}
