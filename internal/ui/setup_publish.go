package ui

import (
	"net/http"
	"strings"

	"github.com/vitrine/vitrine"
)

type setupPublishData struct {
	SetupTab
	S            vitrine.Settings
	SyncModes    []modeOption
	PublishModes []modeOption
	Overwrite    []modeOption
	Saved        string
}

var companySyncLabels = []modeOption{{Value: string(vitrine.SyncAll), Label: "Sync all"}, {Value: string(vitrine.SyncExclude), Label: "Exclude from publish"}}

var overwriteLabels = []modeOption{
	{Value: vitrine.OverwriteFullName, Label: "Same folder, same name and extension"},
	{Value: vitrine.OverwriteAnyExt, Label: "Same folder, any extension"},
	{Value: vitrine.OverwriteFullNameAnyFolder, Label: "Any folder, same name and extension"},
	{Value: vitrine.OverwriteAnyExtAnyFolder, Label: "Any folder, any extension"},
	{Value: vitrine.OverwriteOff, Label: "Off: skip duplicates"},
}

// setupPublish is Setup → Publish setup: instant publish, retain publish
// state, invalidate on republish, default modes, overwrite, Trash, time
// zone.
func (s *Server) setupPublish(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	s.renderSetupPublish(w, r, http.StatusOK, v.P.Company.Settings, "")
}

func (s *Server) renderSetupPublish(w http.ResponseWriter, r *http.Request, status int, st vitrine.Settings, errText string) {
	v := viewOf(r)
	d := setupPublishData{SetupTab: tabsFor(v, "publish"), S: st,
		SyncModes:    options(companySyncLabels, string(st.DefaultSyncMode)),
		PublishModes: options(publishLabels[1:], string(st.DefaultPublishMode)),
		Overwrite:    options(overwriteLabels, st.OverwriteMode), Saved: savedNote(r)}
	s.render(w, r, status, "setup_publish", "Setup: publish setup", d, errText)
}

func (s *Server) setupPublishSave(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	st := v.P.Company.Settings
	ints := formInts{r: r}
	st.InstantPublish = r.PostFormValue("instant_publish") == "on"
	st.RetainPublishState = r.PostFormValue("retain_publish_state") == "on"
	st.InvalidateOnRepublish = r.PostFormValue("invalidate_on_republish") == "on"
	st.DefaultSyncMode = vitrine.SyncMode(r.PostFormValue("default_sync_mode"))
	st.DefaultPublishMode = vitrine.PublishMode(r.PostFormValue("default_publish_mode"))
	st.OverwriteMode = r.PostFormValue("overwrite_mode")
	st.TrashDays = ints.get("trash_days", "Days in the Trash")
	st.TimeZone = strings.TrimSpace(r.PostFormValue("time_zone"))
	err := ints.err
	if err == nil {
		_, err = s.saveSettings(r, map[string]any{
			"instant_publish": st.InstantPublish, "retain_publish_state": st.RetainPublishState,
			"invalidate_on_republish": st.InvalidateOnRepublish, "default_sync_mode": st.DefaultSyncMode,
			"default_publish_mode": st.DefaultPublishMode, "overwrite_mode": st.OverwriteMode,
			"trash_days": st.TrashDays, "time_zone": st.TimeZone})
	}
	if err != nil {
		s.renderSetupPublish(w, r, ErrorStatus(err), st, s.errorText(r, err))
		return
	}
	http.Redirect(w, r, setupURL(v, "publish")+"?saved=1", http.StatusSeeOther)
}
