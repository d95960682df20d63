package media

import vitrine "github.com/vitrine/vitrine"

// Info describes a file as Vitrine stores it.
type Info struct {
	Type   vitrine.AssetType // vitrine.TypeImage, TypeVideo or TypeStatic
	Format string            // canonical short name: jpeg, png, gif, webp, tiff, avif, mp4, mov, webm, mkv, pdf, svg, xml, css, js, json, txt, zip, mp3, m4a, wav, ogg
	MIME   string            // media type without parameters, e.g. image/jpeg, video/mp4, text/css
	Ext    string            // canonical extension without the dot: jpg, png, tif, mp4, …
	// Width and Height come from the header of raster images, and from the
	// root element of an SVG when it states them; 0 otherwise.
	Width, Height int
	// Frames is the number of frames of a raster image (1 for a still, the
	// animation length for GIF, APNG and animated WebP); 0 for other files.
	Frames int
}

// The allow-list. Probe copies one of these and fills in what the header
// says, so each format's names are spelled in exactly one place.
var (
	jpegInfo = Info{Type: vitrine.TypeImage, Format: "jpeg", MIME: "image/jpeg", Ext: "jpg"}
	pngInfo  = Info{Type: vitrine.TypeImage, Format: "png", MIME: "image/png", Ext: "png"}
	gifInfo  = Info{Type: vitrine.TypeImage, Format: "gif", MIME: "image/gif", Ext: "gif"}
	webpInfo = Info{Type: vitrine.TypeImage, Format: "webp", MIME: "image/webp", Ext: "webp"}
	tiffInfo = Info{Type: vitrine.TypeImage, Format: "tiff", MIME: "image/tiff", Ext: "tif"}
	avifInfo = Info{Type: vitrine.TypeImage, Format: "avif", MIME: "image/avif", Ext: "avif"}

	mp4Info  = Info{Type: vitrine.TypeVideo, Format: "mp4", MIME: "video/mp4", Ext: "mp4"}
	m4vInfo  = Info{Type: vitrine.TypeVideo, Format: "mp4", MIME: "video/x-m4v", Ext: "m4v"}
	movInfo  = Info{Type: vitrine.TypeVideo, Format: "mov", MIME: "video/quicktime", Ext: "mov"}
	webmInfo = Info{Type: vitrine.TypeVideo, Format: "webm", MIME: "video/webm", Ext: "webm"}
	mkvInfo  = Info{Type: vitrine.TypeVideo, Format: "mkv", MIME: "video/x-matroska", Ext: "mkv"}

	pdfInfo  = Info{Type: vitrine.TypeStatic, Format: "pdf", MIME: "application/pdf", Ext: "pdf"}
	svgInfo  = Info{Type: vitrine.TypeStatic, Format: "svg", MIME: "image/svg+xml", Ext: "svg"}
	xmlInfo  = Info{Type: vitrine.TypeStatic, Format: "xml", MIME: "application/xml", Ext: "xml"}
	zipInfo  = Info{Type: vitrine.TypeStatic, Format: "zip", MIME: "application/zip", Ext: "zip"}
	mp3Info  = Info{Type: vitrine.TypeStatic, Format: "mp3", MIME: "audio/mpeg", Ext: "mp3"}
	m4aInfo  = Info{Type: vitrine.TypeStatic, Format: "m4a", MIME: "audio/mp4", Ext: "m4a"}
	wavInfo  = Info{Type: vitrine.TypeStatic, Format: "wav", MIME: "audio/wav", Ext: "wav"}
	oggInfo  = Info{Type: vitrine.TypeStatic, Format: "ogg", MIME: "audio/ogg", Ext: "ogg"}
	cssInfo  = Info{Type: vitrine.TypeStatic, Format: "css", MIME: "text/css", Ext: "css"}
	jsInfo   = Info{Type: vitrine.TypeStatic, Format: "js", MIME: "text/javascript", Ext: "js"}
	jsonInfo = Info{Type: vitrine.TypeStatic, Format: "json", MIME: "application/json", Ext: "json"}
	txtInfo  = Info{Type: vitrine.TypeStatic, Format: "txt", MIME: "text/plain", Ext: "txt"}
)

// allowedNames is the allow-list as users read it in error messages.
const allowedNames = "JPEG, PNG, GIF, WebP, TIFF, AVIF, MP4, MOV, WebM, MKV, PDF, SVG, XML, ZIP, MP3, M4A, WAV, OGG, CSS, JS, JSON, TXT"

// textByExt types plain UTF-8 text, which has no signature of its own, by
// the extension of the uploaded name: the one place a name matters.
var textByExt = map[string]Info{
	"css":  cssInfo,
	"js":   jsInfo,
	"json": jsonInfo,
	"txt":  txtInfo,
}
