package edge

// purgeLogSize is how many recent purges the store remembers. A fetch
// that outlives more purges than this is not stored, whatever it was.
const purgeLogSize = 1024

// purgeRecord is one purge as a fetch that started before it sees it.
type purgeRecord struct {
	epoch uint64
	all   bool
	tags  map[string]struct{}
}

// purgeLog lets an origin fetch that started before a purge find out, when
// it finishes, whether the purge named what it fetched. Without it a
// response requested before an unpublish could be stored after the purge
// and served again (CDN-4).
type purgeLog struct {
	recs []purgeRecord // ascending epochs
}

func (l *purgeLog) add(r purgeRecord) {
	if len(l.recs) == purgeLogSize {
		l.recs = append(l.recs[:0], l.recs[1:]...)
	}
	l.recs = append(l.recs, r)
}

// covers reports whether a purge after epoch since, up to current, may
// have named any of tags: it did, or the log no longer reaches back that
// far.
func (l *purgeLog) covers(since, current uint64, tags []string) bool {
	if since >= current {
		return false
	}
	if len(l.recs) == 0 || l.recs[0].epoch > since+1 {
		return true
	}
	for i := len(l.recs) - 1; i >= 0 && l.recs[i].epoch > since; i-- {
		r := l.recs[i]
		if r.all {
			return true
		}
		for _, t := range tags {
			if _, ok := r.tags[t]; ok {
				return true
			}
		}
	}
	return false
}
