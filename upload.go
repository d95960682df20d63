package vitrine

// NewFile is one validated, stored file of an upload: its bytes are already
// in the blob store under SHA256, and its type comes from its bytes.
type NewFile struct {
	Filename string // as uploaded; gives the asset id (UP-3)
	Type     AssetType
	Format   string
	MIME     string
	Ext      string // canonical extension of the detected format
	Width    int
	Height   int
	SHA256   string
	Size     int64
}

// UploadOptions are the options of one upload request.
type UploadOptions struct {
	Folder    string // created if missing
	Publish   *bool  // nil: the folder's default (UP-2)
	Overwrite string // "": the company's overwrite mode (UP-4)
	JobName   string // "": Upload_<timestamp>
}

// Validate checks an upload's options before anything is stored, and
// returns the clean folder path.
func (o UploadOptions) Validate() (string, error) {
	folderPath, err := CleanFolderPath(o.Folder)
	if err != nil {
		return "", err
	}
	if o.Overwrite != "" && !ValidOverwrite(o.Overwrite) {
		return "", Errorf(EINVALID, "overwrite %q is not one of full_name, any_ext, full_name_any_folder, any_ext_any_folder, off", o.Overwrite)
	}
	return folderPath, nil
}

// UploadedAsset reports what one file became.
type UploadedAsset struct {
	Name     string    `json:"name"`
	Type     AssetType `json:"type"`
	Version  int       `json:"version"`
	Replaced bool      `json:"replaced"`
	// Unchanged: the file is the asset's current version, byte for byte,
	// in the same folder; nothing changed (Replaced is true as well).
	Unchanged bool      `json:"unchanged,omitempty"`
	Skipped   bool      `json:"skipped,omitempty"`
	Warning   string    `json:"warning,omitempty"`
	Published Published `json:"published"`
	// Changes the upload made to the catalog (a replacement going live,
	// or leaving it), for purges.
	Changes []CatalogChange `json:"-"`
}

// UploadResult is the outcome of an upload request.
type UploadResult struct {
	Job    Job             `json:"job"`
	Assets []UploadedAsset `json:"assets"`
}
