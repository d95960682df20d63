package media

import (
	"bytes"
	"strings"

	vitrine "github.com/vitrine/vitrine"
)

// prolog is what the start of a markup document says about it: the XML
// declaration, the DOCTYPE and the root element's start tag, found by
// skipping comments and processing instructions.
type prolog struct {
	xmlDecl bool
	doctype string // lower case, "" if none
	root    string // the root element's name as written, "" if not reached
	attrs   []byte // the root start tag after its name; nil if it does not end in the data
}

// htmlTags are the root elements that make a document HTML: the tags the
// WHATWG MIME Sniffing standard looks for, and a few more that run scripts
// or load content. Served from the delivery domain, HTML is stored XSS.
var htmlTags = map[string]bool{
	"html": true, "head": true, "body": true, "script": true, "iframe": true, "h1": true,
	"div": true, "font": true, "table": true, "a": true, "style": true, "title": true,
	"b": true, "br": true, "p": true, "meta": true, "link": true, "form": true, "img": true,
	"object": true, "embed": true, "frameset": true, "template": true, "base": true,
}

const xhtmlNamespace = "http://www.w3.org/1999/xhtml"

// probeMarkup types data that starts with '<'. ok is false when it is not
// markup after all (text such as "<3"), or markup without a root that may
// still be plain text. more reports that the file goes on past data, and
// sample is the text sample checked for binary bytes.
func probeMarkup(data []byte, more bool, sample []byte) (info Info, ok bool, err error) {
	p, isMarkup := scanProlog(data)
	if !isMarkup {
		return Info{}, false, nil
	}
	local := p.root
	if i := strings.LastIndexByte(local, ':'); i >= 0 {
		local = local[i+1:]
	}
	lower := strings.ToLower(local)
	switch {
	case p.doctype == "html", lower == "html",
		htmlTags[lower] && !p.xmlDecl:
		return Info{}, true, vitrine.Errorf(vitrine.EUNSUPPORTED,
			"file type text/html is not allowed (HTML would run scripts on the delivery domain); allowed: %s", allowedNames)
	case (p.root == "" || p.attrs == nil) && more:
		// The prolog or the root tag runs past the head. Refused rather
		// than guessed at: what follows could make it HTML.
		return Info{}, true, vitrine.Errorf(vitrine.EUNSUPPORTED,
			"markup whose root element does not start within the first %d KB is not allowed", headSize>>10)
	case p.root == "" && (p.xmlDecl || p.doctype != ""):
		return Info{}, true, vitrine.Errorf(vitrine.EINVALID, "XML document has no root element")
	case p.root == "" || p.attrs == nil:
		// Only comments or processing instructions, or a '<' that opens
		// no tag: plain text, typed by name like any other.
		return Info{}, false, nil
	case bytes.Contains(p.attrs, []byte(xhtmlNamespace)):
		// Any element in the XHTML namespace is HTML to a browser.
		return Info{}, true, notAllowed("application/xhtml+xml")
	case hasBinaryByte(sample):
		return Info{}, true, notRecognized()
	case local == "svg":
		info := svgInfo
		info.Width, info.Height = svgSize(p.attrs)
		return info, true, nil
	}
	return xmlInfo, true, nil
}

// scanProlog reads markup from data up to the root start tag. isMarkup is
// false when data does not continue like markup.
func scanProlog(data []byte) (p prolog, isMarkup bool) {
	i := 0
	for first := true; ; first = false {
		for i < len(data) && isSpace(data[i]) {
			i++
		}
		if i == len(data) {
			return p, true
		}
		rest := data[i:]
		if rest[0] != '<' {
			return p, false
		}
		var end int // length of the construct, or -1 if it does not end
		switch {
		case bytes.HasPrefix(rest, []byte("<?")):
			if first && hasPrefixFold(rest, "<?xml") && len(rest) > 5 && (isSpace(rest[5]) || rest[5] == '?') {
				p.xmlDecl = true
			}
			end = indexEnd(rest, "?>")
		case bytes.HasPrefix(rest, []byte("<!--")):
			end = indexEnd(rest[4:], "-->")
			if end >= 0 {
				end += 4
			}
		case hasPrefixFold(rest, "<!DOCTYPE"):
			p.doctype = strings.ToLower(string(name(bytes.TrimLeft(rest[9:], " \t\r\n"))))
			end = doctypeEnd(rest)
		case len(rest) > 1 && isNameStart(rest[1]):
			n := name(rest[1:])
			p.root = string(n)
			if e := tagEnd(rest); e >= 0 {
				p.attrs = rest[1+len(n) : e]
				if p.attrs == nil {
					p.attrs = []byte{}
				}
			}
			return p, true
		default:
			return p, false
		}
		if end < 0 {
			return p, true // the data ends inside the prolog
		}
		i += end
	}
}

// doctypeEnd returns the length of a DOCTYPE declaration, skipping an
// internal subset in brackets, which may itself contain '>'.
func doctypeEnd(b []byte) int {
	for i, quote, subset := 0, byte(0), false; i < len(b); i++ {
		c := b[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '[':
			subset = true
		case c == ']':
			subset = false
		case c == '>' && !subset:
			return i + 1
		}
	}
	return -1
}

// tagEnd returns the index of the '>' that ends the start tag at b[0],
// skipping quoted attribute values, or -1.
func tagEnd(b []byte) int {
	for i, quote := 0, byte(0); i < len(b); i++ {
		switch c := b[i]; {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '"' || c == '\'':
			quote = c
		case c == '>':
			return i
		}
	}
	return -1
}

// indexEnd returns the length of b up to and including sep, or -1.
func indexEnd(b []byte, sep string) int {
	if i := bytes.Index(b, []byte(sep)); i >= 0 {
		return i + len(sep)
	}
	return -1
}

// name returns the XML name at the start of b (loosely: up to a space,
// '/', '>' or '[').
func name(b []byte) []byte {
	for i, c := range b {
		if isSpace(c) || c == '/' || c == '>' || c == '[' {
			return b[:i]
		}
	}
	return b
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' }

// isNameStart reports the ASCII name-start characters of XML, and any
// non-ASCII byte (names may be Unicode).
func isNameStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == ':' || c >= 0x80
}

func hasPrefixFold(b []byte, prefix string) bool {
	return len(b) >= len(prefix) && strings.EqualFold(string(b[:len(prefix)]), prefix)
}
