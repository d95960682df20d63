package imaging

import (
	"strings"
)

// Resampling modes of resMode= (notes §1.3): bilinear, bicubic, modified
// Lanczos and Photoshop's "bicubic sharper".
const (
	ResBilin   = "bilin"
	ResBicub   = "bicub"
	ResSharp2  = "sharp2"
	ResBisharp = "bisharp"
)

func parseResMode(r *Request, cmd, v string) error {
	switch s := strings.ToLower(strings.TrimSpace(v)); s {
	case ResBilin, ResBicub, ResSharp2, ResBisharp:
		r.resMode = s
	case "sharp": // the legacy spelling used by DMC's own preset examples (notes §1.5)
		r.resMode = ResSharp2
	default:
		return invalid(cmd, v, "not bilin, bicub, sharp2 or bisharp")
	}
	return nil
}

// parseQlt reads qlt=quality[,chroma]; chroma=1 turns JPEG chroma
// subsampling off.
func parseQlt(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 1, 2)
	if err != nil {
		return err
	}
	if r.qlt, err = integer(cmd, v, parts[0], 1, 100); err != nil {
		return err
	}
	r.qltNoChroma = false
	if len(parts) == 2 {
		r.qltNoChroma, err = flag(cmd, v, parts[1])
	}
	return err
}

// parseDPR reads dpr=off or dpr=on[,ratio]. Without a ratio Scene7 uses the
// CDN-detected one; we have none, so that is ratio 1.
func parseDPR(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 1, 2)
	if err != nil {
		return err
	}
	on, err := onOff(cmd, v, parts[0])
	if err != nil {
		return err
	}
	r.dpr = 0
	if on && len(parts) == 2 {
		d, err := number(cmd, v, parts[1], 0, 100)
		if err != nil {
			return err
		}
		if d == 0 {
			return invalid(cmd, v, "ratio must be greater than 0")
		}
		if d != 1 {
			r.dpr = d
		}
	}
	return nil
}

// parseCache reads cache=on|off[,on|off]: one value sets both the client
// and the server cache, two set them separately.
func parseCache(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 1, 2)
	if err != nil {
		return err
	}
	if r.cacheClient, err = onOff(cmd, v, parts[0]); err != nil {
		return err
	}
	r.cacheServer = r.cacheClient
	if len(parts) == 2 {
		r.cacheServer, err = onOff(cmd, v, parts[1])
	}
	return err
}

func parseID(r *Request, _, v string) error {
	r.id, r.hasID = v, true
	return nil
}

func parseDefaultImage(r *Request, _, v string) error {
	r.defaultImage, r.hasDefaultImage = v, true
	return nil
}

// parseReq reads req=type[,text|javascript|json|xml[,encoding]] (r-req.md;
// req=set answers xml, the default, or json only: r-set.md). Viewers send the
// encoding (req=set,json,UTF-8); answers are always UTF-8, so that is the
// one encoding accepted.
func parseReq(r *Request, cmd, v string) error {
	parts, err := list(cmd, v, 1, 3)
	if err != nil {
		return err
	}
	if len(parts) == 3 {
		if !strings.EqualFold(parts[2], "utf-8") && !strings.EqualFold(parts[2], "utf8") {
			return invalid(cmd, v, "encoding %q is not supported: answers are UTF-8", parts[2])
		}
		parts = parts[:2]
	}
	kind := strings.ToLower(parts[0])
	switch kind {
	case ReqImg:
		if len(parts) == 2 {
			return invalid(cmd, v, "req=img takes no response format")
		}
		r.reqKind, r.reqFormat = kind, ""
		return nil
	case ReqImageProps, ReqProps, ReqExists, ReqSet:
	default:
		return invalid(cmd, v, "type %q is not supported (img, imageprops, props, exists, set)", parts[0])
	}
	format := "text"
	if len(parts) == 2 {
		format = strings.ToLower(parts[1])
		switch {
		case format != "text" && format != "javascript" && format != "json" && format != "xml":
			return invalid(cmd, v, "response format %q is not text, javascript, json or xml", parts[1])
		case kind == ReqSet && format == "javascript":
			return invalid(cmd, v, "req=set answers xml or json")
		}
	}
	r.reqKind, r.reqFormat = kind, format
	return nil
}

func parseSig(r *Request, cmd, v string) error {
	if v == "" || len(v) > 256 {
		return invalid(cmd, v, "not a signature")
	}
	r.sig = v
	return nil
}

func parseExp(r *Request, cmd, v string) error {
	n, err := integer(cmd, v, strings.TrimSpace(v), 1, 1<<40)
	r.exp = int64(n)
	return err
}
