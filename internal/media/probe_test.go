package media

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	vitrine "github.com/vitrine/vitrine"
)

func probeBytes(data []byte, ext string) (Info, error) {
	return Probe(bytes.NewReader(data), int64(len(data)), ext, DefaultLimits())
}

// image returns the Info of an image fixture, to keep the table short.
func imageInfo(base Info, w, h, frames int) Info {
	base.Width, base.Height, base.Frames = w, h, frames
	return base
}

type probeCase struct {
	name string
	data []byte
	ext  string
	want Info
}

// allowedCases has one or more files of every allowed format. The fuzz
// target uses them as its seed corpus.
func allowedCases(t testing.TB) []probeCase {
	jpg := encodeJPEG(t, 64, 48)
	sof2 := bytes.Replace(jpg, []byte{0xFF, 0xC0}, []byte{0xFF, 0xC2}, 1)
	// Three APP segments of about 64 KB each put the frame header at
	// ~190 KB, far past the head Probe reads up front.
	camera := withSegments(jpg,
		bigAPP(0xE1, "Exif\x00\x00", 65000),
		bigAPP(0xE2, "ICC_PROFILE\x00", 65000),
		bigAPP(0xE2, "ICC_PROFILE\x00", 65000),
		bigAPP(0xE1, "http://ns.adobe.com/xap/1.0/\x00", 20000),
		jpegSegment(0xFE, []byte("a comment")))
	filled := withSegments(jpg, []byte{0xFF, 0xFF, 0xFF}, jpegSegment(0xE0, []byte("JFXX\x00")))
	pngFile := encodePNG(t, gray(30, 20))
	text := strings.Repeat("x", textSample-1) + "é" + strings.Repeat("y", 100) // a rune across the sample's end

	return []probeCase{
		{"jpeg", jpg, "jpg", imageInfo(jpegInfo, 64, 48, 1)},
		{"jpeg named png", jpg, "png", imageInfo(jpegInfo, 64, 48, 1)},
		{"jpeg named exe", jpg, "exe", imageInfo(jpegInfo, 64, 48, 1)},
		{"jpeg progressive", sof2, "jpg", imageInfo(jpegInfo, 64, 48, 1)},
		{"jpeg big APP segments", camera, "jpg", imageInfo(jpegInfo, 64, 48, 1)},
		{"jpeg fill bytes", filled, "jpeg", imageInfo(jpegInfo, 64, 48, 1)},
		{"png", pngFile, "png", imageInfo(pngInfo, 30, 20, 1)},
		{"png named css", pngFile, "css", imageInfo(pngInfo, 30, 20, 1)},
		{"png text chunks", withAfterIHDR(pngFile, pngChunk("tEXt", []byte("k\x00v")), pngChunk("pHYs", make([]byte, 9))), "png", imageInfo(pngInfo, 30, 20, 1)},
		{"apng", withAfterIHDR(pngFile, actl(3)), "png", imageInfo(pngInfo, 30, 20, 3)},
		{"png rgba", encodePNG(t, solidRGBA(7, 9)), "png", imageInfo(pngInfo, 7, 9, 1)},
		{"gif", encodeGIF(t, 10, 20, 1), "gif", imageInfo(gifInfo, 10, 20, 1)},
		{"gif animated", encodeGIF(t, 10, 20, 3), "gif", Info{Type: vitrine.TypeStatic, Format: "gif", MIME: "image/gif", Ext: "gif", Width: 10, Height: 20, Frames: 3}},
		{"gif no trailer", bytes.TrimSuffix(gifBomb(2), []byte{0x3B}), "gif", Info{Type: vitrine.TypeStatic, Format: "gif", MIME: "image/gif", Ext: "gif", Width: 1, Height: 1, Frames: 2}},
		{"webp lossy", webpVP8(100, 50), "webp", imageInfo(webpInfo, 100, 50, 1)},
		{"webp lossless", riff("WEBP", vp8lChunk(33, 17)), "webp", imageInfo(webpInfo, 33, 17, 1)},
		{"webp extended", riff("WEBP", vp8x(0x10, 1000, 800), riffChunk("ALPH", make([]byte, 3)), vp8lChunk(1000, 800)), "webp", imageInfo(webpInfo, 1000, 800, 1)},
		{"webp animated", webpAnimated(40, 30, 3), "webp", imageInfo(webpInfo, 40, 30, 3)},
		{"tiff little-endian", encodeTIFF(t, 40, 30), "tif", imageInfo(tiffInfo, 40, 30, 1)},
		{"tiff big-endian", tiffBE(5000, 4000), "tiff", imageInfo(tiffInfo, 5000, 4000, 1)},
		{"bigtiff", bigTIFF(123, 456), "tif", imageInfo(tiffInfo, 123, 456, 1)},
		{"avif", avif(1, [][]byte{ispe(640, 480)}, map[uint16][]byte{1: {0x81}}), "avif", imageInfo(avifInfo, 640, 480, 1)},
		{"avif grid", avif(2, [][]byte{ispe(512, 512), ispe(1024, 768)}, map[uint16][]byte{1: {1}, 2: {2}}), "avif", imageInfo(avifInfo, 1024, 768, 1)},
		{"avif rotated", avif(1, [][]byte{ispe(640, 480), isoBox("irot", []byte{1})}, map[uint16][]byte{1: {1, 0x82}}), "avif", imageInfo(avifInfo, 480, 640, 1)},
		{"avif mif1 major", append(ftyp("mif1", "avif", "miaf"), avif(1, [][]byte{ispe(8, 8)}, map[uint16][]byte{1: {1}})[len(ftyp("avif", "avif", "mif1", "miaf")):]...), "avif", imageInfo(avifInfo, 8, 8, 1)},
		{"avif wide ipma", avifWide(2, [][]byte{ispe(1, 1), ispe(300, 200)}, map[uint32][]uint16{1: {1}, 2: {0x8002}}), "avif", imageInfo(avifInfo, 300, 200, 1)},
		{"avif without associations", avif(9, [][]byte{ispe(20, 10), ispe(200, 100)}, nil), "avif", imageInfo(avifInfo, 200, 100, 1)},
		{"mp4 isom", append(ftyp("isom", "isom", "iso2", "avc1", "mp41"), isoBox("free")...), "mp4", mp4Info},
		{"mp4 mp42", append(ftyp("mp42", "mp42", "isom"), isoBox("mdat", make([]byte, 100))...), "mp4", mp4Info},
		{"mp4 by compatible brand", ftyp("XYZW", "mp42", "iso6"), "mp4", mp4Info},
		{"m4v", ftyp("M4V ", "M4V ", "M4A ", "mp42", "isom"), "m4v", m4vInfo},
		{"mov", append(ftyp("qt  ", "qt  "), isoBox("wide")...), "mov", movInfo},
		{"mov without ftyp", append(isoBox("moov", isoBox("mvhd", make([]byte, 100))), isoBox("mdat")...), "mov", movInfo},
		{"m4a", ftyp("M4A ", "M4A ", "mp42", "isom"), "m4a", m4aInfo},
		{"webm", ebml("webm"), "webm", webmInfo},
		{"matroska", ebml("matroska"), "mkv", mkvInfo},
		{"pdf", []byte("%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"), "pdf", pdfInfo},
		{"zip", encodeZip(t, map[string]string{"a.txt": "hello"}), "zip", zipInfo},
		{"zip empty", encodeZip(t, nil), "zip", zipInfo},
		{"mp3 id3", append(id3(), mp3Frames(2)...), "mp3", mp3Info},
		{"mp3 frames", mp3Frames(3), "mp3", mp3Info},
		{"wav", wav(), "wav", wavInfo},
		{"ogg", ogg(), "ogg", oggInfo},
		{"svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" width="120" height="80"><rect/></svg>`), "svg", svgWith(120, 80)},
		{"svg prolog", []byte("\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- Generator: Illustrator -->\n<!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [\n<!ENTITY ns \"x>y\">\n]>\n<svg version=\"1.1\" viewBox=\"0 0 300.5 150\"></svg>"), "svg", svgWith(301, 150)},
		{"svg units", []byte(`<svg width="2in" height='1.5cm' xmlns="http://www.w3.org/2000/svg"/>`), "svg", svgWith(192, 57)},
		{"svg width and viewBox", []byte(`<svg width="200" viewBox="0,0,100,50"/>`), "svg", svgWith(200, 100)},
		{"svg percent", []byte(`<svg width="100%" height="100%"/>`), "svg", svgInfo},
		{"svg prefixed named xml", []byte(`<svg:svg xmlns:svg="http://www.w3.org/2000/svg" width="5" height="6"/>`), "xml", svgWith(5, 6)},
		{"xml", []byte(`<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title></feed>`), "xml", xmlInfo},
		{"xml without declaration", []byte("<catalog>\n  <item id=\"1\"/>\n</catalog>\n"), "xml", xmlInfo},
		{"xml named txt", []byte(`<?xml version="1.0"?><config/>`), "txt", xmlInfo},
		{"css", []byte("body { color: #333; }\n"), "css", cssInfo},
		{"css named like an exe", []byte("/* evil.exe.css */\n.a{b:c}"), "css", cssInfo},
		{"css upper-case ext", []byte(".a{b:c}"), ".CSS", cssInfo},
		{"js", []byte("export const x = 1;\n"), "js", jsInfo},
		{"json", []byte(`{"a": [1, 2, "é"]}`), "json", jsonInfo},
		{"txt", []byte("Hello, world.\r\n\tTabs and\fform feeds.\n"), "txt", txtInfo},
		{"txt starting with MZ", []byte("MZ is a Windows executable signature.\n"), "txt", txtInfo},
		{"txt starting with ID3", []byte("ID3 tags hold MP3 metadata.\n"), "txt", txtInfo},
		{"txt with a heart", []byte("<3 <3 <3\n"), "txt", txtInfo},
		{"txt comment only", []byte("<!-- not a document -->\n"), "txt", txtInfo},
		{"txt rune across sample end", []byte(text), "txt", txtInfo},
	}
}

func svgWith(w, h int) Info {
	i := svgInfo
	i.Width, i.Height = w, h
	return i
}

func TestProbe(t *testing.T) {
	t.Parallel()
	for _, tc := range allowedCases(t) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := probeBytes(tc.data, tc.ext)
			if err != nil {
				t.Fatalf("Probe(%q, %q) error = %v, want %+v", tc.name, tc.ext, err, tc.want)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("Probe(%q, %q) mismatch (-want +got):\n%s", tc.name, tc.ext, diff)
			}
		})
	}
}

func TestProbeRefused(t *testing.T) {
	t.Parallel()
	jpg := encodeJPEG(t, 16, 16)
	pngFile := encodePNG(t, gray(4, 4))
	badCRC := append([]byte{}, pngFile...)
	badCRC[30] ^= 0xFF
	random := make([]byte, 4096)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range random {
		random[i] = byte(rng.Uint32())
	}
	elf := append([]byte("\x7FELF\x02\x01\x01\x00"), make([]byte, 56)...)
	pe := append([]byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xFF\xFF\x00\x00"), make([]byte, 48)...)
	longComment := "<?xml version=\"1.0\"?><!--" + strings.Repeat("-x", headSize/2) + "--><svg/>"

	tests := []struct {
		name, data, ext string
		code            string
		msg             string // a substring of the message
	}{
		{"empty", "", "jpg", vitrine.EINVALID, "file is empty"},
		{"truncated png", string(pngFile[:20]), "png", vitrine.EINVALID, "truncated PNG header"},
		{"truncated jpeg", string(jpg[:30]), "jpg", vitrine.EINVALID, "truncated JPEG header"},
		{"jpeg without frame", "\xFF\xD8\xFF\xE0\x00\x04ab\xFF\xD9", "jpg", vitrine.EINVALID, "no frame header"},
		{"jpeg junk", "\xFF\xD8\xFF\xE0\x00\x02" + strings.Repeat("\x00", maxJPEGJunk+10), "jpg", vitrine.EINVALID, "no marker"},
		{"jpeg zero height", string(jpegClaiming(10, 0)), "jpg", vitrine.EINVALID, "no image height"},
		{"apng zero frames", string(withAfterIHDR(pngFile, actl(0))), "png", vitrine.EINVALID, "0 frames"},
		{"webp animated without frames", string(riff("WEBP", vp8x(0x02, 4, 4), riffChunk("ANIM", make([]byte, 6)))), "webp", vitrine.EINVALID, "no frames"},
		{"tiff size without value", "II*\x00\x08\x00\x00\x00\x01\x00\x00\x01\x03\x00\x00\x00\x00\x00\x05\x00\x00\x00", "tif", vitrine.EINVALID, "no value"},
		{"png bad crc", string(badCRC), "png", vitrine.EINVALID, "checksum"},
		{"png no image data", string(pngHeader(4, 4, pngChunk("IEND", nil))), "png", vitrine.EINVALID, "no image data"},
		{"png zero width", string(pngHeader(0, 4, pngChunk("IDAT", nil))), "png", vitrine.EINVALID, "at least 1"},
		{"png bad depth", strings.Replace(string(pngHeader(4, 4)), "\x08\x00\x00\x00\x00", "\x03\x00\x00\x00\x00", 1), "png", vitrine.EINVALID, "corrupt PNG header"},
		{"gif zero height", "GIF89a\x05\x00\x00\x00\x00\x00\x00;", "gif", vitrine.EINVALID, "at least 1"},
		{"gif without frames", "GIF89a\x01\x00\x01\x00\x00\x00\x00;", "gif", vitrine.EINVALID, "no image"},
		{"gif bad block", "GIF89a\x01\x00\x01\x00\x00\x00\x00\x99", "gif", vitrine.EINVALID, "unknown block"},
		{"gif truncated", "GIF89a\x01\x00", "gif", vitrine.EINVALID, "truncated GIF header"},
		{"webp bad start code", strings.Replace(string(webpVP8(10, 10)), "\x9D\x01\x2A", "\x00\x00\x00", 1), "webp", vitrine.EINVALID, "VP8"},
		{"webp truncated", string(webpVP8(10, 10)[:22]), "webp", vitrine.EINVALID, "truncated WebP header"},
		{"tiff without size", "II*\x00\x08\x00\x00\x00\x00\x00\x00\x00\x00\x00", "tif", vitrine.EINVALID, "no image size"},
		{"tiff truncated", "MM\x00*\x00\x00\x10\x00", "tif", vitrine.EINVALID, "truncated TIFF header"},
		{"avif without ispe", string(avif(1, [][]byte{isoBox("pixi", []byte{0, 0, 0, 0, 1, 8})}, map[uint16][]byte{1: {1}})), "avif", vitrine.EINVALID, "no image size"},
		{"avif overrunning box", string(append(ftyp("avif", "mif1"), 0, 0, 0x10, 0, 'm', 'e', 't', 'a')), "avif", vitrine.EINVALID, "truncated AVIF header"},
		{"avif without meta", string(append(ftyp("avif", "mif1"), isoBox("mdat")...)), "avif", vitrine.EINVALID, "no meta"},
		{"ftyp too small", "\x00\x00\x00\x08ftypisom", "mp4", vitrine.EINVALID, "ISO media"},
		{"random bytes", string(random), "jpg", vitrine.EUNSUPPORTED, "not recognized"},
		{"elf", string(elf), "jpg", vitrine.EUNSUPPORTED, "file type application/x-executable is not allowed; allowed: JPEG, PNG"},
		{"windows exe", string(pe), "png", vitrine.EUNSUPPORTED, "application/x-msdownload"},
		{"mach-o", "\xCF\xFA\xED\xFE\x07\x00\x00\x01" + string(make([]byte, 24)), "", vitrine.EUNSUPPORTED, "application/x-mach-binary"},
		{"html doctype", "<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>", "txt", vitrine.EUNSUPPORTED, "text/html"},
		{"html upper case", "\n  <HTML><BODY>x</BODY></HTML>", "css", vitrine.EUNSUPPORTED, "text/html"},
		{"html after comment", "\xEF\xBB\xBF<!-- saved from url -->\n<html>", "svg", vitrine.EUNSUPPORTED, "text/html"},
		{"html fragment", "<script>alert(document.cookie)</script>", "js", vitrine.EUNSUPPORTED, "text/html"},
		{"xhtml", `<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body/></html>`, "xml", vitrine.EUNSUPPORTED, "text/html"},
		{"xhtml namespace", `<?xml version="1.0"?><doc xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></doc>`, "xml", vitrine.EUNSUPPORTED, "application/xhtml+xml"},
		{"html latin-1", "<html><body>caf\xE9</body></html>", "txt", vitrine.EUNSUPPORTED, "text/html"},
		{"xml without root", `<?xml version="1.0"?><!-- nothing -->`, "xml", vitrine.EINVALID, "no root element"},
		{"xml prolog past head", longComment, "svg", vitrine.EUNSUPPORTED, "first 64 KB"},
		{"text named md", "# Title\n", "md", vitrine.EUNSUPPORTED, "not as .md"},
		{"text without ext", "hello", "", vitrine.EUNSUPPORTED, "only as .css, .js, .json or .txt"},
		{"text named html", "hello", "html", vitrine.EUNSUPPORTED, "not as .html"},
		{"binary named txt", "abc\x00def", "txt", vitrine.EUNSUPPORTED, "not recognized"},
		{"invalid utf-8 named txt", "caf\xE9 au lait", "txt", vitrine.EUNSUPPORTED, "not recognized"},
		{"utf-16", "\xFF\xFEa\x00b\x00", "txt", vitrine.EUNSUPPORTED, "utf-16"},
		{"heic", string(ftyp("heic", "mif1", "heic")), "heic", vitrine.EUNSUPPORTED, "image/heic"},
		{"heif", string(ftyp("mif1", "mif1")), "heif", vitrine.EUNSUPPORTED, "image/heif"},
		{"3gp", string(ftyp("3gp4", "3gp4")), "3gp", vitrine.EUNSUPPORTED, "video/3gpp"},
		{"unknown brand", string(ftyp("abcd", "efgh")), "mp4", vitrine.EUNSUPPORTED, `ISO media (brand "abcd")`},
		{"bmp", "BM\x46\x00\x00\x00\x00\x00\x00\x00\x36\x00\x00\x00\x28\x00\x00\x00" + string(make([]byte, 40)), "jpg", vitrine.EUNSUPPORTED, "image/bmp"},
		{"gzip", "\x1F\x8B\x08\x00\x00\x00\x00\x00", "zip", vitrine.EUNSUPPORTED, "application/gzip"},
		{"flac after id3", string(id3()) + "fLaC\x00\x00\x00\x22", "mp3", vitrine.EUNSUPPORTED, "audio/flac"},
		{"avi", string(riff("AVI ", riffChunk("LIST", make([]byte, 4)))), "avi", vitrine.EUNSUPPORTED, "video/x-msvideo"},
		{"unknown riff", string(riff("ABCD")), "wav", vitrine.EUNSUPPORTED, "not recognized"},
		{"webm unknown doctype", string(ebml("other")), "webm", vitrine.EUNSUPPORTED, `EBML document "other"`},
		{"ebml truncated", "\x1A\x45\xDF\xA3\x9F\x42\x86", "webm", vitrine.EINVALID, "truncated WebM header"},
		{"mp3 sync only", "\xFF\xFB\x90\x64" + string(make([]byte, 413)) + "not a frame", "mp3", vitrine.EUNSUPPORTED, "not recognized"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := probeBytes([]byte(tc.data), tc.ext)
			if code := vitrine.ErrorCode(err); code != tc.code {
				t.Fatalf("Probe(%q) = %+v, %v; want code %s", tc.name, got, err, tc.code)
			}
			var verr *vitrine.Error
			if !errors.As(err, &verr) {
				t.Fatalf("Probe(%q) error %v is not a *vitrine.Error", tc.name, err)
			}
			if !strings.Contains(verr.Message, tc.msg) {
				t.Errorf("Probe(%q) message = %q, want it to contain %q", tc.name, verr.Message, tc.msg)
			}
			if got != (Info{}) {
				t.Errorf("Probe(%q) info = %+v with an error, want zero", tc.name, got)
			}
		})
	}
}
