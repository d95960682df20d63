package imaging

import (
	"net/url"
	"slices"
	"strings"

	"github.com/vitrine/vitrine"
)

// Parsing limits. They bound the work a single URL can ask of the parser;
// real Scene7 URLs are far below them.
const (
	maxQueryLen    = 16 << 10 // bytes of the raw query, and of each preset
	maxModifiers   = 1000     // after preset expansion
	maxPresetDepth = 8        // presets may nest (notes §1.5); this also stops cycles
	// maxExpandTokens and maxExpandBytes bound the work of expanding one
	// query, whatever it expands to: nested presets that only name other
	// presets (or hold comments) would otherwise cost N^depth with no
	// command counted (issue 15, item 5).
	maxExpandTokens = 2 * maxModifiers // modifiers, comments and $preset$ references visited
	maxExpandBytes  = 64 << 10         // query and preset bodies scanned
)

// modifier is one cmd=value of the query after preset expansion.
type modifier struct {
	name       string // lower case, decoded
	value      string // decoded
	fromPreset bool
}

// Parse parses a Scene7 modifier string: modifier(&modifier)*, where a
// modifier is cmd=value, $preset$ or .comment (reference notes §1.1).
//
// Command and preset names are case-insensitive; values keep their case and
// are URL-decoded one by one after the split on '&'. A $preset$ expands the
// company's stored modifier string in place, so a command inside the preset
// overrides the same command before it and a command after the preset
// overrides it: the last occurrence of a command wins. Comments and unknown
// commands are ignored (and so never reach the cache key). An unknown
// preset, a malformed encoding or a bad value is an EINVALID error naming
// the command and the value.
//
// presets maps preset names (any case) to modifier strings; it may be nil.
func Parse(rawQuery string, presets map[string]string) (*Request, error) {
	mods, err := expand(strings.TrimPrefix(rawQuery, "?"), presets, 0, false, nil, &budget{})
	if err != nil {
		return nil, err
	}
	r := newRequest()
	// "Presets only" needs a preset: an empty query asks for the image at
	// its natural size (and /is/content for the original), which a
	// company that signs everything else must not hand out unsigned.
	r.presetOnly = slices.ContainsFunc(mods, func(m modifier) bool { return m.fromPreset })
	for _, m := range mods {
		if done, err := r.layerCommand(m.name, m.value); err != nil {
			return nil, err
		} else if done {
			if !m.fromPreset {
				r.presetOnly = false
			}
			continue
		}
		apply, ok := commands[m.name]
		if !ok {
			continue // unknown: ignored, as Scene7-compatible servers must (notes §1.11)
		}
		if err := apply(r, m.name, m.value); err != nil {
			return nil, err
		}
		if !m.fromPreset && m.name != "sig" && m.name != "exp" {
			r.presetOnly = false
		}
	}
	if err := r.refuseBeyondLayers(); err != nil {
		return nil, err
	}
	return r, nil
}

// budget counts the work one expansion has done.
type budget struct{ tokens, bytes int }

// expand splits query into modifiers and replaces each $preset$ by its own
// modifiers, recursively. out accumulates the result; b bounds the work.
func expand(query string, presets map[string]string, depth int, inPreset bool, out []modifier, b *budget) ([]modifier, error) {
	if len(query) > maxQueryLen {
		return nil, vitrine.Errorf(vitrine.EINVALID, "modifier string longer than %d bytes", maxQueryLen)
	}
	if b.bytes += len(query); b.bytes > maxExpandBytes {
		return nil, vitrine.Errorf(vitrine.EINVALID, "presets expand to more than %d bytes", maxExpandBytes)
	}
	for tok := range strings.SplitSeq(query, "&") {
		if tok == "" {
			continue
		}
		if b.tokens++; b.tokens > maxExpandTokens {
			return nil, vitrine.Errorf(vitrine.EINVALID, "presets expand to more than %d modifiers", maxExpandTokens)
		}
		rawName, rawValue, hasValue := strings.Cut(tok, "=")
		name, err := url.QueryUnescape(rawName)
		if err != nil {
			return nil, vitrine.Errorf(vitrine.EINVALID, "modifier %q: bad URL encoding", clip(tok))
		}
		switch {
		case strings.HasPrefix(name, "."):
			continue // comment: runs to the next unencoded '&'
		case strings.HasPrefix(name, "$"):
			if hasValue || len(name) < 3 || !strings.HasSuffix(name, "$") {
				continue // a $var=value substitution variable: not supported, ignored like an unknown command
			}
			if depth >= maxPresetDepth {
				return nil, vitrine.Errorf(vitrine.EINVALID, "presets nested deeper than %d (a preset that uses itself?)", maxPresetDepth)
			}
			body, ok := lookupPreset(presets, name[1:len(name)-1])
			if !ok {
				return nil, vitrine.Errorf(vitrine.EINVALID, "unknown preset %q", clip(name))
			}
			if out, err = expand(strings.TrimPrefix(body, "?"), presets, depth+1, true, out, b); err != nil {
				return nil, err
			}
			continue
		}
		value, err := url.QueryUnescape(rawValue)
		if err != nil {
			return nil, invalid(strings.ToLower(name), rawValue, "bad URL encoding")
		}
		if len(out) >= maxModifiers {
			return nil, vitrine.Errorf(vitrine.EINVALID, "more than %d modifiers", maxModifiers)
		}
		out = append(out, modifier{name: strings.ToLower(name), value: value, fromPreset: inPreset})
	}
	return out, nil
}

// lookupPreset finds a preset by name, case-insensitively (notes §1.5). The
// exact spelling is tried first so the common case costs one map lookup.
func lookupPreset(presets map[string]string, name string) (string, bool) {
	if body, ok := presets[name]; ok {
		return body, true
	}
	for k, body := range presets {
		if strings.EqualFold(k, name) {
			return body, true
		}
	}
	return "", false
}

// clip shortens user input quoted in error messages.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}
