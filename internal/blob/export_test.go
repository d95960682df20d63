package blob

// SetBeforeDelete sets the hook DeleteStale runs between its last check of
// a blob and its delete.
func SetBeforeDelete(g *Guarded, fn func(digest string)) { g.beforeDelete = fn }

// SetSync replaces how l flushes a file or directory to disk.
func SetSync(l *Local, fn func(path string) error) { l.fsync = fn }
