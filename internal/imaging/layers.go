package imaging

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/vitrine/vitrine"
)

// Layers, first step (issue 14). layer=N selects the layer the following
// layer commands apply to ([CMD]r-layer.md: "Selects the layer ... and
// specifies the z-order"): 0 is the image of the URL path, as without
// layer=; 1..maxLayers are image (src=) or solid-colour (color=) layers
// drawn over it in the order of their numbers; comp is the composite.
// Layer 0 defines the composite's size and anything of the other layers
// outside it is cut ("The compositing canvas": "Layer 0 ... defines the
// size of the composite image ... Any areas of other layers which fall
// outside the area of layer 0 are not included"); the view commands (wid,
// hei, fit, fmt…) then apply to the composite.

// maxLayers is the highest layer= number served; higher ones answer 403.
const maxLayers = 8

// layerComp is the current layer after layer=comp.
const layerComp = -1

// Blend modes of blendMode= ([CMD]r-blendmode.md: norm|dissolve|lighten|
// darken|mult|screen; only the first, third and fourth of ours are
// served).
const (
	BlendNorm   = "norm"
	BlendMult   = "mult"
	BlendScreen = "screen"
)

// layerSpec is one layer above layer 0, as the URL gives it.
type layerSpec struct {
	n       int
	src     string // asset id (src=), "" for none
	color   *Color // color=: a solid-colour layer; nil for none
	alpha   uint8  // color='s alpha, 255 when it has none
	size    [2]int // size=w,h in layer-0 pixels; 0 = follows the aspect ratio
	pos     [2]float64
	posN    bool   // pos is posN=, relative to layer 0's size
	opac    [2]int // opac=opacity,fillOpacity in percent
	blend   string // BlendNorm, BlendMult or BlendScreen
	bgColor *Color // bgColor=: fills the layer's transparent areas; nil = none
	hidden  bool   // hide=1: the layer draws nothing
}

// empty reports a layer with neither an image nor a colour: it draws
// nothing (a sneaker maker's product page sends layer=1 with only
// bgcolor= and blendMode=; Scene7 serves the image).
// A hidden layer (hide=1) draws nothing either.
func (l *layerSpec) empty() bool { return l.hidden || l.src == "" && l.color == nil }

// unsupportedCommands are Scene7 commands beyond the first step of layers:
// a URL with one of them answers 403 naming it rather than an image that
// silently lacks the text, mask or effect it asked for.
var unsupportedCommands = map[string]bool{
	"text": true, "textps": true, "textattr": true, "textpath": true, "textflowpath": true, "textflowxml": true,
	"textangle": true, "mask": true, "maskuse": true, "clippath": true, "clipxpath": true, "effect": true,
	"anchor": true, "anchorn": true, "origin": true, "originn": true, "perspective": true,
}

// layerAttributes are the commands of layer 0 (crop=, extend=…) that the
// first step does not apply to other layers or the composite.
var layerAttributes = map[string]bool{
	"crop": true, "cropn": true, "extend": true, "extendn": true, "rotate": true, "flip": true, "size": true,
	"bgcolor": true,
}

// unsupported is the 403 of a command the server does not serve.
func unsupported(cmd, format string, args ...any) error {
	return vitrine.Errorf(vitrine.EUNSUPPORTED, "%s= %s", cmd, fmt.Sprintf(format, args...))
}

// layerCommand applies m to the current layer when the layer model takes
// it: layer= itself, the commands of layers 1..8, and the refusals. It
// reports false for a command the ordinary table applies (view commands,
// and layer 0's own).
func (r *Request) layerCommand(name, value string) (bool, error) {
	if unsupportedCommands[name] {
		if r.cur == 0 {
			// Without other layers these are ignored like any command the
			// server does not know (notes §1.11; catalog modifiers imported
			// from Scene7 carry mask= and anchor=); refused by
			// refuseBeyondLayers once the request composes layers.
			if r.beyond == "" {
				r.beyond = name
			}
			return true, nil
		}
		return true, unsupported(name, "is not supported (layers: src=, color=, size=, pos=, opac=, blendMode= only)")
	}
	switch {
	case name == "layer":
		return true, parseLayer(r, name, value)
	case name == "hide":
		return true, parseHide(r, name, value)
	case r.cur == 0:
		switch name {
		case "pos", "posn", "blendmode":
			return true, nil // "Ignored by layer=0" ([CMD]r-pos.md, r-blendmode.md)
		case "src", "color", "opac":
			return true, unsupported(name, "on layer 0 is not supported")
		}
		return false, nil
	case r.cur == layerComp:
		switch name {
		case "pos", "posn", "blendmode":
			return true, nil // "Ignored by ... layer=comp" (same pages)
		case "src", "color", "opac":
			return true, unsupported(name, "on layer=comp is not supported")
		}
		if layerAttributes[name] {
			return true, unsupported(name, "on layer=comp is not supported")
		}
		return false, nil
	}
	l := r.layer(r.cur)
	switch name {
	case "src":
		return true, parseLayerSrc(l, name, value)
	case "color":
		c, a, err := parseColorAlpha(name, value)
		l.color, l.alpha = &c, a
		return true, err
	case "size":
		return true, parseLayerSize(l, name, value)
	case "pos", "posn":
		return true, parseLayerPos(l, name, value)
	case "opac":
		return true, parseOpac(l, name, value)
	case "blendmode":
		return true, parseBlendMode(l, name, value)
	case "bgcolor":
		c, a, err := parseColorAlpha(name, value)
		switch {
		case err != nil:
			return true, err
		case a == 0:
			l.bgColor = nil
		case a == 255:
			l.bgColor = &c
		default:
			return true, invalid(name, value, "a semi-transparent layer colour is not supported (alpha 0 or FF)")
		}
		return true, nil
	}
	if layerAttributes[name] {
		return true, unsupported(name, "on layer %d is not supported", r.cur)
	}
	return false, nil
}

// refuseBeyondLayers answers the 403 of a command beyond the first step
// of layers given to layer 0 of a request that composes layers: the
// composite would silently lack what it asked for.
func (r *Request) refuseBeyondLayers() error {
	if r.beyond == "" || !slices.ContainsFunc(r.layers, func(l *layerSpec) bool { return !l.empty() }) {
		return nil
	}
	return unsupported(r.beyond, "is not supported with layers (layers: src=, color=, size=, pos=, opac=, blendMode= only)")
}

// parseHide reads hide=0|1 ([CMD]r-hide.md: 1 hides the layer, 0, the
// default, shows it). Sites send hide=0 with any layer, layer 0 included;
// hiding layer 0 or the composite is beyond the first step.
func parseHide(r *Request, cmd, v string) error {
	switch strings.TrimSpace(v) {
	case "0":
		if r.cur > 0 {
			r.layer(r.cur).hidden = false
		}
		return nil
	case "1":
		if r.cur <= 0 {
			return unsupported(cmd, "1 on layer 0 or layer=comp is not supported")
		}
		r.layer(r.cur).hidden = true
		return nil
	}
	return invalid(cmd, v, "want 0 or 1")
}

// parseLayer reads layer=N or layer=comp.
func parseLayer(r *Request, cmd, v string) error {
	s := strings.TrimSpace(v)
	if strings.EqualFold(s, "comp") {
		r.cur = layerComp
		return nil
	}
	n, err := strconv.Atoi(s)
	switch {
	case err != nil || n < 0:
		return invalid(cmd, v, "want a layer number or comp")
	case n > maxLayers:
		return unsupported(cmd, "%d: at most %d layers are supported", n, maxLayers)
	}
	r.cur = n
	if n > 0 {
		r.layer(n)
	}
	return nil
}

// layer returns layer n, adding it (with the defaults) if the request has
// none yet.
func (r *Request) layer(n int) *layerSpec {
	for _, l := range r.layers {
		if l.n == n {
			return l
		}
	}
	l := &layerSpec{n: n, opac: [2]int{100, 100}, blend: BlendNorm}
	r.layers = append(r.layers, l)
	slices.SortFunc(r.layers, func(a, b *layerSpec) int { return a.n - b.n })
	return l
}

// parseLayerSrc reads src=[rootId/]id ([CMD]r-src.md). Nested requests
// (is{…}, ir{…}, fxg{…}) and foreign URLs are beyond the first step.
func parseLayerSrc(l *layerSpec, cmd, v string) error {
	s := strings.TrimSpace(v)
	lower := strings.ToLower(s)
	switch {
	case s == "":
		return invalid(cmd, v, "want an image id")
	case strings.ContainsAny(s, "{}?"):
		return unsupported(cmd, "with a nested request is not supported")
	case strings.Contains(lower, "://") || strings.HasPrefix(s, "//"):
		return unsupported(cmd, "with a foreign URL is not supported")
	}
	l.src = s
	return nil
}

// parseLayerSize reads size=w,h for a layer, as for layer 0 (layer.go).
func parseLayerSize(l *layerSpec, cmd, v string) error {
	parts, err := list(cmd, v, 2, 2)
	if err != nil {
		return err
	}
	for i, p := range parts {
		if l.size[i], err = integer(cmd, v, p, 0, maxDimension); err != nil {
			return err
		}
	}
	return nil
}

// parseLayerPos reads pos=x,y (pixels of layer 0) or posN=x,y (relative
// to layer 0's size): where the layer's centre is from layer 0's centre,
// positive right and down ([CMD]r-pos.md).
func parseLayerPos(l *layerSpec, cmd, v string) error {
	parts, err := list(cmd, v, 2, 2)
	if err != nil {
		return err
	}
	l.posN = cmd == "posn"
	for i, p := range parts {
		if l.posN {
			l.pos[i], err = number(cmd, v, p, -10, 10)
		} else {
			var n int
			n, err = integer(cmd, v, p, -maxDimension, maxDimension)
			l.pos[i] = float64(n)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// parseOpac reads opac=opacity[,fillOpacity], each 0..100 ([CMD]r-opac.md).
// Without layer effects the fill opacity scales the content as the
// opacity does.
func parseOpac(l *layerSpec, cmd, v string) error {
	parts, err := list(cmd, v, 1, 2)
	if err != nil {
		return err
	}
	l.opac = [2]int{100, 100}
	for i, p := range parts {
		if l.opac[i], err = integer(cmd, v, p, 0, 100); err != nil {
			return err
		}
	}
	return nil
}

// parseBlendMode reads blendMode= ([CMD]r-blendmode.md).
func parseBlendMode(l *layerSpec, cmd, v string) error {
	switch m := strings.ToLower(strings.TrimSpace(v)); m {
	case BlendNorm, BlendMult, BlendScreen:
		l.blend = m
	case "dissolve", "lighten", "darken":
		return unsupported(cmd, "%s is not supported (norm, mult, screen)", m)
	default:
		return invalid(cmd, v, "want norm, mult or screen")
	}
	return nil
}

// LayerSources returns the src= ids of the request's layers, each once,
// in layer order: the caller looks them up and passes their headers to
// NewCompositePlan and their bytes to RenderComposite.
func (r *Request) LayerSources() []string {
	var ids []string
	for _, l := range r.layers {
		if !l.empty() && l.src != "" && !slices.Contains(ids, l.src) {
			ids = append(ids, l.src)
		}
	}
	return ids
}

// layersKey writes the canonical layer commands, after everything else:
// each layer that draws something, with the values that differ from the
// defaults.
func (r *Request) layersKey(add func(name, value string)) {
	for _, l := range r.layers {
		if l.empty() {
			continue
		}
		add("layer", strconv.Itoa(l.n))
		if l.src != "" {
			add("src", escapeValue(l.src))
		}
		if l.color != nil {
			add("color", l.color.Hex()+hexAlpha(l.alpha))
		}
		if l.size != [2]int{} {
			add("size", strconv.Itoa(l.size[0])+","+strconv.Itoa(l.size[1]))
		}
		if l.pos != [2]float64{} {
			name := "pos"
			if l.posN {
				name = "posn"
			}
			add(name, fmtNum(l.pos[0])+","+fmtNum(l.pos[1]))
		}
		if l.opac != [2]int{100, 100} {
			add("opac", strconv.Itoa(l.opac[0])+","+strconv.Itoa(l.opac[1]))
		}
		if l.blend != BlendNorm {
			add("blendmode", l.blend)
		}
		if l.bgColor != nil && l.src != "" {
			add("bgcolor", l.bgColor.Hex())
		}
	}
}

// hexAlpha is the alpha byte of a colour key, "" when opaque.
func hexAlpha(a uint8) string {
	if a == 255 {
		return ""
	}
	return fmt.Sprintf("%02X", a)
}
