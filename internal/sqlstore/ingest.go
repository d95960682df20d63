package sqlstore

import (
	"context"
	"fmt"

	"github.com/vitrine/vitrine"
)

// Ingest records an upload: one job, and for each file a new asset or a new
// version of an existing one, following the overwrite mode (UP-4), retain
// publish state (UP-5) and the folder's effective modes (SEL-3, UP-2). The
// files' bytes are already in the blob store. It is one transaction: the
// request lands whole or not at all.
func (d *DB) Ingest(ctx context.Context, p *vitrine.Principal, files []vitrine.NewFile, opts vitrine.UploadOptions) (*vitrine.UploadResult, error) {
	folderPath, err := checkUploadOptions(opts)
	if err != nil {
		return nil, err
	}
	if len(files) == 0 {
		return nil, vitrine.Errorf(vitrine.EINVALID, "no files to upload")
	}
	res := &vitrine.UploadResult{}
	err = d.inTx(ctx, func(tx *Tx) error {
		in, err := tx.newIngest(ctx, p, folderPath, opts)
		if err != nil {
			return err
		}
		name := opts.JobName
		if name == "" {
			name = vitrine.JobName("Upload", tx.now)
		}
		job, err := tx.createJob(ctx, in.c.ID, vitrine.JobUpload, name, in.by, fmt.Sprintf(`{"folder":%q}`, folderPath))
		if err != nil {
			return err
		}
		in.by.JobID, in.job = &job.ID, job
		job.Total = len(files)
		for _, f := range files {
			u, err := in.file(ctx, f)
			if err != nil {
				return err
			}
			res.Assets = append(res.Assets, *u)
		}
		if err := tx.finishJob(ctx, job); err != nil {
			return err
		}
		res.Job = *job
		return nil
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

// checkUploadOptions validates an upload's options and returns its folder.
func checkUploadOptions(opts vitrine.UploadOptions) (string, error) { return opts.Validate() }

// newIngest prepares an upload transaction: the company, the overwrite
// mode, the folder (created if missing) and its effective modes. The
// caller sets the job.
func (tx *Tx) newIngest(ctx context.Context, p *vitrine.Principal, folderPath string, opts vitrine.UploadOptions) (*ingest, error) {
	c, err := tx.company(ctx, `id = ?`, p.Company.ID)
	if err != nil {
		return nil, err
	}
	mode := opts.Overwrite
	if mode == "" {
		mode = c.Settings.OverwriteMode
	}
	folder, err := tx.ensureFolder(ctx, c.ID, folderPath)
	if err != nil {
		return nil, err
	}
	eff, err := tx.effective(ctx, c, folderPath)
	if err != nil {
		return nil, err
	}
	return &ingest{tx: tx, c: c, folder: folder, eff: eff, mode: mode, publish: opts.Publish, by: actorOf(p)}, nil
}

// ingest is the state of one upload transaction.
type ingest struct {
	tx      *Tx
	c       *vitrine.Company
	folder  *vitrine.Folder
	eff     vitrine.EffectiveModes
	mode    string
	publish *bool
	by      actor
	job     *vitrine.Job
}

func (in *ingest) file(ctx context.Context, f vitrine.NewFile) (*vitrine.UploadedAsset, error) {
	tx := in.tx
	name, ext, err := vitrine.AssetNameFromFile(f.Filename)
	if err != nil {
		return nil, err
	}
	if ext == "" {
		ext = f.Ext
	}
	existing, err := tx.asset(ctx, in.c.ID, name)
	if err != nil && vitrine.ErrorCode(err) != vitrine.ENOTFOUND {
		return nil, err
	}
	out := &vitrine.UploadedAsset{Name: name, Type: f.Type}
	if existing != nil {
		if overwrites(in.mode, existing, in.folder.ID, ext, f.Type) {
			return in.replace(ctx, existing, f, ext)
		}
		if in.mode == vitrine.OverwriteOff {
			out.Skipped, out.Warning = true, fmt.Sprintf("asset %q exists and overwrite is off; skipped", name)
			return out, in.tx.logJob(ctx, in.job, name, vitrine.LogWarning, out.Warning)
		}
		fresh, err := tx.freeName(ctx, in.c.ID, name)
		if err != nil {
			return nil, err
		}
		out.Warning = fmt.Sprintf("asset %q exists and the overwrite mode %s does not replace it; stored as %q", name, in.mode, fresh)
		if err := tx.logJob(ctx, in.job, fresh, vitrine.LogWarning, out.Warning); err != nil {
			return nil, err
		}
		name = fresh
	}
	a := &vitrine.Asset{CompanyID: in.c.ID, Name: name, Type: f.Type, FolderID: in.folder.ID, Folder: in.folder.Path, Ext: ext,
		SyncMode: in.eff.SyncMode, PublishMode: in.eff.PublishMode}
	a.ID, err = tx.insert(ctx, `INSERT INTO assets (company_id, name, type, folder_id, ext, current_version, sync_mode, publish_mode, created_at, updated_at)
		VALUES (?, ?, ?, ?, ?, 0, ?, ?, ?, ?)`, a.CompanyID, a.Name, string(a.Type), a.FolderID, a.Ext, string(a.SyncMode),
		string(a.PublishMode), toMicros(tx.now), toMicros(tx.now))
	if err != nil {
		return nil, fmt.Errorf("insert asset %s: %w", name, err)
	}
	if err := in.addVersion(ctx, a, f); err != nil {
		return nil, err
	}
	if err := in.applyPublishOption(ctx, a, out); err != nil {
		return nil, err
	}
	return in.finish(ctx, a, out, fmt.Sprintf("uploaded %s as %s (%s)", f.Filename, a.Name, f.Format))
}

// overwrites reports whether an upload replaces an existing asset (UP-4).
// A trashed asset keeps its id reserved and is never replaced (UP-6); a file
// of another type is never a replacement.
func overwrites(mode string, a *vitrine.Asset, folderID int64, ext string, typ vitrine.AssetType) bool {
	if a.Trashed() || a.Type != typ {
		return false
	}
	switch mode {
	case vitrine.OverwriteFullName:
		return a.FolderID == folderID && a.Ext == ext
	case vitrine.OverwriteAnyExt:
		return a.FolderID == folderID
	case vitrine.OverwriteFullNameAnyFolder:
		return a.Ext == ext
	case vitrine.OverwriteAnyExtAnyFolder:
		return true
	}
	return false
}

func (in *ingest) replace(ctx context.Context, a *vitrine.Asset, f vitrine.NewFile, ext string) (*vitrine.UploadedAsset, error) {
	tx := in.tx
	out := &vitrine.UploadedAsset{Name: a.Name, Type: a.Type, Replaced: true}
	cur, err := tx.version(ctx, a.ID, a.Version)
	if err != nil {
		return nil, err
	}
	if cur.SHA256 == f.SHA256 && a.FolderID == in.folder.ID {
		out.Version, out.Unchanged = a.Version, true
		in.job.Done++
		if out.Published, err = tx.published(ctx, a.ID); err != nil {
			return nil, err
		}
		return out, tx.logJob(ctx, in.job, a.Name, vitrine.LogInfo, "identical to the current version; unchanged")
	}
	// A replacement lives in the folder it was uploaded to (any-folder modes).
	a.FolderID, a.Folder, a.Ext = in.folder.ID, in.folder.Path, ext
	if _, err := tx.exec(ctx, `UPDATE assets SET folder_id = ?, ext = ?, updated_at = ? WHERE id = ?`,
		a.FolderID, a.Ext, toMicros(tx.now), a.ID); err != nil {
		return nil, err
	}
	if err := in.addVersion(ctx, a, f); err != nil {
		return nil, err
	}
	if !in.c.Settings.RetainPublishState {
		if err := in.applyPublishOption(ctx, a, out); err != nil {
			return nil, err
		}
	}
	return in.finish(ctx, a, out, fmt.Sprintf("replaced %s with %s: version %d", a.Name, f.Filename, a.Version))
}

func (in *ingest) addVersion(ctx context.Context, a *vitrine.Asset, f vitrine.NewFile) error {
	a.Version++
	_, err := in.tx.insert(ctx, `INSERT INTO versions (asset_id, number, sha256, size, format, mime, width, height, filename, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, a.ID, a.Version, f.SHA256, f.Size, f.Format, f.MIME, f.Width, f.Height,
		f.Filename, nullID(in.by.UserID), toMicros(in.tx.now))
	if err != nil {
		return fmt.Errorf("insert version: %w", err)
	}
	if _, err = in.tx.exec(ctx, `UPDATE assets SET current_version = ?, updated_at = ? WHERE id = ?`, a.Version, toMicros(in.tx.now), a.ID); err != nil {
		return err
	}
	// A new version is forced to republish: it is not live at its current
	// version, so the next incremental publish job takes it (JOB-3).
	_, err = in.tx.exec(ctx, `UPDATE intents SET live = FALSE WHERE asset_id = ?`, a.ID)
	return err
}

// applyPublishOption marks or unmarks an uploaded asset per the request's
// publish option, defaulting to the folder's publish mode (UP-2, SEL-4).
func (in *ingest) applyPublishOption(ctx context.Context, a *vitrine.Asset, out *vitrine.UploadedAsset) error {
	publish := a.PublishMode == vitrine.PublishImmediately
	if in.publish != nil {
		publish = *in.publish
	}
	if a.SyncMode == vitrine.SyncExclude {
		if in.publish != nil && *in.publish {
			out.Warning = "folder is excluded from sync; the asset is not published"
			return in.tx.logJob(ctx, in.job, a.Name, vitrine.LogWarning, out.Warning)
		}
		return nil
	}
	action := vitrine.ActionUnpublish
	if publish {
		action = vitrine.ActionPublish
	}
	for _, d := range vitrine.Destinations {
		mark := false
		for _, t := range action.Targets(a.PublishMode) {
			mark = mark || (t == d && publish)
		}
		if err := in.tx.setIntent(ctx, a, d, mark); err != nil {
			return err
		}
	}
	return nil
}

// finish brings the catalog along (instant publish) and logs the file.
func (in *ingest) finish(ctx context.Context, a *vitrine.Asset, out *vitrine.UploadedAsset, msg string) (*vitrine.UploadedAsset, error) {
	if vitrine.GoesLiveNow(in.c.Settings, false, false) {
		ch, err := in.tx.reconcile(ctx, a, ReconcileFull, in.by)
		if err != nil {
			return nil, err
		}
		out.Changes = ch
	}
	var err error
	if out.Published, err = in.tx.published(ctx, a.ID); err != nil {
		return nil, err
	}
	out.Name, out.Version = a.Name, a.Version
	in.job.Done++
	return out, in.tx.logJob(ctx, in.job, a.Name, vitrine.LogInfo, msg)
}
