package edge

import (
	"cmp"
	"slices"
	"strings"
)

// DefaultNormalize is the cache key of a delivery URL when no Scene7-aware
// canonicaliser is plugged in: the escaped path, then the modifiers with
// command and preset names in lower case, `.comment` modifiers and empty
// ones dropped, and the rest sorted by command name.
//
// Sorting is stable, so repeated commands keep their order and "last one
// wins" still means the same. A query with a preset ($name$) is not
// sorted at all, because commands before a preset and after it mean
// different things (§5.1).
func DefaultNormalize(path, query string) string {
	if query == "" {
		return path
	}
	mods := strings.Split(query, "&")
	kept := mods[:0]
	preset := false
	for _, m := range mods {
		if m == "" || m[0] == '.' {
			continue
		}
		name, value, hasValue := strings.Cut(m, "=")
		lower := strings.ToLower(name)
		if strings.HasPrefix(lower, "$") {
			preset = true
		}
		if lower != name { // already lower case (the common case): kept as is
			if hasValue {
				m = lower + "=" + value
			} else {
				m = lower
			}
		}
		kept = append(kept, m)
	}
	if len(kept) == 0 {
		return path
	}
	if !preset {
		slices.SortStableFunc(kept, func(a, b string) int { return cmp.Compare(commandName(a), commandName(b)) })
	}
	return path + "?" + strings.Join(kept, "&")
}

func commandName(mod string) string {
	name, _, _ := strings.Cut(mod, "=")
	return name
}
