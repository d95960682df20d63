package ui

import (
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
)

type setupImageData struct {
	SetupTab
	S        vitrine.Settings
	ResModes []modeOption
	Saved    string
}

var resModeLabels = []modeOption{{Value: "bicub", Label: "bicub (bicubic)"}, {Value: "bilin", Label: "bilin (bilinear)"},
	{Value: "sharp2", Label: "sharp2 (Lanczos)"}, {Value: "bisharp", Label: "bisharp (bicubic, sharpened)"}}

// setupImage is Setup → Image serving: MaxPix, DefaultPix, JPEG quality,
// resampling, background colour, cache TTLs and the default image (§5.1,
// DEL-2, DEL-3).
func (s *Server) setupImage(w http.ResponseWriter, r *http.Request) {
	s.renderSetupImage(w, r, http.StatusOK, viewOf(r).P.Company.Settings, "")
}

func (s *Server) renderSetupImage(w http.ResponseWriter, r *http.Request, status int, st vitrine.Settings, errText string) {
	v := viewOf(r)
	d := setupImageData{SetupTab: tabsFor(v, "image"), S: st, ResModes: options(resModeLabels, st.ResMode), Saved: savedNote(r)}
	s.render(w, r, status, "setup_image", "Setup: image serving", d, errText)
}

func (s *Server) setupImageSave(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	st := v.P.Company.Settings
	ints := formInts{r: r}
	st.MaxPix = [2]int{ints.get("max_pix_w", "MaxPix width"), ints.get("max_pix_h", "MaxPix height")}
	st.DefaultPix = [2]int{ints.get("default_pix_w", "DefaultPix width"), ints.get("default_pix_h", "DefaultPix height")}
	st.JpegQuality = ints.get("jpeg_quality", "JPEG quality")
	st.ResMode = r.PostFormValue("res_mode")
	st.BkgColor = strings.TrimPrefix(strings.TrimSpace(r.PostFormValue("bkg_color")), "#")
	st.ImageTTLSeconds = ints.get("image_ttl_seconds", "Image TTL")
	st.NonImageTTLSeconds = ints.get("non_image_ttl_seconds", "Non-image TTL")
	st.DefaultImageTTLSeconds = ints.get("default_image_ttl_seconds", "Default image TTL")
	st.DefaultImage = strings.TrimSpace(r.PostFormValue("default_image"))
	err := ints.err
	if err == nil {
		_, err = s.saveSettings(r, map[string]any{
			"max_pix": st.MaxPix, "default_pix": st.DefaultPix, "jpeg_quality": st.JpegQuality,
			"res_mode": st.ResMode, "bkg_color": st.BkgColor, "image_ttl_seconds": st.ImageTTLSeconds,
			"non_image_ttl_seconds": st.NonImageTTLSeconds, "default_image_ttl_seconds": st.DefaultImageTTLSeconds,
			"default_image": st.DefaultImage})
	}
	if err != nil {
		s.renderSetupImage(w, r, ErrorStatus(err), st, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, setupURL(v, "image")+"?saved=1", http.StatusSeeOther)
}
