package media

import (
	"encoding/binary"
	"fmt"
)

// Brands of the ftyp box (ISO/IEC 14496-12 §4.3), by what Vitrine makes of
// them. A file is typed by its major brand, or failing that by the first
// compatible brand Vitrine knows, as players do.
var (
	avifBrands = brandSet("avif", "avis")
	// heifBrands are HEIF structures whose images are not AV1: refused,
	// but an AVIF usually lists mif1 too, so they never decide alone.
	heifBrands = brandSet("mif1", "msf1", "miaf")
	heicBrands = brandSet("heic", "heix", "heim", "heis", "hevc", "hevx", "hevm", "hevs")
	mp4Brands  = brandSet("isom", "iso2", "iso3", "iso4", "iso5", "iso6", "iso7", "iso8", "iso9",
		"mp41", "mp42", "mp71", "avc1", "dash", "cmfc", "cmf2", "MSNV", "XAVC", "mmp4", "f4v ")
	m4vBrands = brandSet("M4V ", "M4VH", "M4VP")
	m4aBrands = brandSet("M4A ", "M4B ")
	qtBrands  = brandSet("qt  ")
	gppBrands = brandSet("3gp4", "3gp5", "3gp6", "3gp7", "3ge6", "3ge7", "3gg6", "3g2a", "3g2b", "3g2c")
	cr3Brands = brandSet("crx ")
)

func brandSet(brands ...string) map[string]bool {
	m := make(map[string]bool, len(brands))
	for _, b := range brands {
		m[b] = true
	}
	return m
}

// probeFtyp types an ISO base media file (MP4, MOV, AVIF, HEIC, …) from
// the brands of its leading ftyp box.
func probeFtyp(s *source, lim Limits) (Info, error) {
	b, err := s.at(0, 16)
	if err != nil {
		return Info{}, truncated("ISO media", err)
	}
	size := int(binary.BigEndian.Uint32(b))
	if size < 16 || size%4 != 0 {
		return Info{}, corrupt("ISO media", "ftyp box of %d bytes", size)
	}
	// Brands past the head are ignored: a real ftyp has a few.
	brands := s.head[:min(size, len(s.head))]
	major := string(brands[8:12])
	var compat []string
	for i := 16; i+4 <= len(brands); i += 4 {
		compat = append(compat, string(brands[i:i+4]))
	}
	compatible := func(set map[string]bool) bool {
		for _, c := range compat {
			if set[c] {
				return true
			}
		}
		return false
	}

	switch {
	case avifBrands[major], heifBrands[major] && compatible(avifBrands):
		return probeAVIF(s, lim)
	case heicBrands[major], heifBrands[major] && compatible(heicBrands):
		return Info{}, notAllowed("image/heic")
	case heifBrands[major]:
		return Info{}, notAllowed("image/heif")
	case qtBrands[major]:
		return movInfo, nil
	case m4vBrands[major]:
		return m4vInfo, nil
	case m4aBrands[major]:
		return m4aInfo, nil
	case mp4Brands[major]:
		return mp4Info, nil
	case gppBrands[major]:
		return Info{}, notAllowed("video/3gpp")
	case cr3Brands[major]:
		return Info{}, notAllowed("image/x-canon-cr3")
	case compatible(mp4Brands):
		return mp4Info, nil
	case compatible(qtBrands):
		return movInfo, nil
	}
	return Info{}, notAllowed(fmt.Sprintf("ISO media (brand %q)", major))
}
