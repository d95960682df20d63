package delivery

import (
	"encoding/json"
	"encoding/xml"
	"strings"
)

// node is an element of a req=set answer. The XML is written from it as
// is; the JSON is derived from it the way Scene7 derives its JSON from the
// XML, so the two forms can never disagree.
type node struct {
	name  string
	attrs [][2]string // in order
	text  string      // a leaf's text; then kids is empty
	kids  []*node
	list  bool // in JSON, an array even when alone (set.relation[], which readers index)
}

func leaf(name, text string) *node { return &node{name: name, text: text} }

// xmlDoc renders the XML form.
func (n *node) xmlDoc() []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="UTF-8"?>` + "\n")
	n.writeXML(&b)
	b.WriteString("\n")
	return []byte(b.String())
}

func (n *node) writeXML(b *strings.Builder) {
	b.WriteString("<" + n.name)
	for _, a := range n.attrs {
		b.WriteString(" " + a[0] + `="`)
		xml.EscapeText(b, []byte(a[1])) //nolint:errcheck // a strings.Builder does not fail
		b.WriteString(`"`)
	}
	if n.text == "" && len(n.kids) == 0 {
		b.WriteString("/>")
		return
	}
	b.WriteString(">")
	xml.EscapeText(b, []byte(n.text)) //nolint:errcheck
	for _, k := range n.kids {
		k.writeXML(b)
	}
	b.WriteString("</" + n.name + ">")
}

// jsonp renders the JSON form, {"set":{…}}, wrapped for the callback.
func (n *node) jsonp(cb callback) ([]byte, string) {
	var b strings.Builder
	b.WriteString(`{` + quote(n.name) + `:`)
	n.writeJSON(&b)
	b.WriteString(`}`)
	return wrapJSONP(b.String(), cb)
}

// writeJSON writes the element's value: its text when it is a leaf,
// otherwise an object of its attributes, then its children by name, in
// order of first appearance: one child is a value, several an array.
func (n *node) writeJSON(b *strings.Builder) {
	if len(n.attrs) == 0 && len(n.kids) == 0 {
		b.WriteString(quote(n.text))
		return
	}
	b.WriteString("{")
	first := true
	sep := func() {
		if !first {
			b.WriteString(",")
		}
		first = false
	}
	for _, a := range n.attrs {
		sep()
		b.WriteString(quote(a[0]) + ":" + quote(a[1]))
	}
	var order []string
	groups := map[string][]*node{}
	for _, k := range n.kids {
		if groups[k.name] == nil {
			order = append(order, k.name)
		}
		groups[k.name] = append(groups[k.name], k)
	}
	for _, name := range order {
		sep()
		b.WriteString(quote(name) + ":")
		g := groups[name]
		if len(g) == 1 && !g[0].list {
			g[0].writeJSON(b)
			continue
		}
		b.WriteString("[")
		for i, k := range g {
			if i > 0 {
				b.WriteString(",")
			}
			k.writeJSON(b)
		}
		b.WriteString("]")
	}
	b.WriteString("}")
}

func quote(s string) string {
	var b strings.Builder
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(true) // the answer may be read as a script: no raw <, >, &
	_ = enc.Encode(s)
	return strings.TrimSuffix(b.String(), "\n")
}
