package vitrine

import (
	"context"
	"time"
)

// JobMaintenance is the daily system job (Trash_and_cleanup_<time>): it
// empties each company's Trash after its trash_days (UP-6) and deletes the
// blobs no version references any more. Nobody submits it; the engine
// records one per company per day.
const JobMaintenance JobType = "maintenance"

// MaintenanceResult is what a maintenance job did, shown with the job.
type MaintenanceResult struct {
	AssetsPurged int   `json:"assets_purged"`
	BlobsDeleted int   `json:"blobs_deleted"`
	BytesFreed   int64 `json:"bytes_freed"`
}

// BlobInfo describes one stored blob.
type BlobInfo struct {
	Digest  string
	Size    int64
	ModTime time.Time // when it was last stored (PutFile)
}

// BlobSweeper is what garbage collection needs of a blob store, kept apart
// from BlobStore so that readers and writers do not see it.
//
// Blobs are content-addressed, so an upload may store the very bytes the
// collector is about to delete. Two rules make that safe (docs/design/storage.md,
// "Blob collection"):
//
//   - PutFile stamps the blob with the time it was stored, and a blob stored
//     less than a grace period ago is never a candidate. An upload records its
//     version row right after PutFile (one request, one transaction), so a
//     blob written but not yet referenced is always young.
//   - PutFile and DeleteStale hold the same per-digest BlobLocker lock, and
//     DeleteStale checks age and references again under it. So a re-upload of
//     an old orphan either lands before the check (the blob is young again and
//     stays) or after the delete (it stores the file anew); it never lands
//     between the check and the delete.
type BlobSweeper interface {
	// ListBlobs calls fn for every stored blob, in no particular order.
	ListBlobs(ctx context.Context, fn func(BlobInfo) error) error
	// DeleteStale deletes those of digests that, under the blob lock, were
	// stored before cutoff and are still unreferenced (unreferenced returns
	// the subset of its argument that no row refers to). It returns the
	// blobs it deleted.
	DeleteStale(ctx context.Context, digests []string, cutoff time.Time,
		unreferenced func(ctx context.Context, digests []string) ([]string, error)) ([]BlobInfo, error)
	// AbortPartialUploads discards uploads that started before cutoff and
	// never finished (a node died while storing a blob): S3 keeps the parts
	// of an incomplete multipart upload until it is aborted. A store whose
	// partial uploads cannot outlive the process has none.
	AbortPartialUploads(ctx context.Context, cutoff time.Time) (int, error)
}

// BlobLocker holds per-digest locks shared by every node: storing a blob and
// collecting it take turns (see BlobSweeper). LockBlobs runs fn with the
// locks of all digests held and releases them when fn returns.
type BlobLocker interface {
	LockBlobs(ctx context.Context, digests []string, fn func(ctx context.Context) error) error
}

// BlobFile is a spooled file to store under its digest.
type BlobFile struct{ Digest, Path string }

// BlobCommitter stores blobs and records them in the catalog in one turn
// under their digests' locks, then deletes those of them nothing refers to:
// the blobs of files an upload skipped (overwrite off) or of an upload the
// store refused. Under the locks no other upload can be between storing the
// same bytes and recording them, so a blob it deletes is one nobody needs.
// A store without it leaves such blobs to the daily collection.
type BlobCommitter interface {
	CommitFiles(ctx context.Context, files []BlobFile, record func(ctx context.Context) error,
		unreferenced func(ctx context.Context, digests []string) ([]string, error)) error
}

// PurgedAsset is an asset the Trash purge deleted, with the digests of its
// versions (candidates for blob collection).
type PurgedAsset struct {
	Name    string
	Digests []string
}

// MaintenanceStore is what the daily Trash and cleanup job needs of the
// store: its runs (one per company per day across nodes), the Trash purge,
// and which blobs nothing references any more.
type MaintenanceStore interface {
	BlobLocker
	LastMaintenance(ctx context.Context) (time.Time, error)
	CreateMaintenanceRuns(ctx context.Context, occ time.Time, name string) ([]JobRun, error)
	PurgeTrashBatch(ctx context.Context, companyID int64, cutoff time.Time, limit int) ([]PurgedAsset, error)
	SetJobResult(ctx context.Context, id int64, result any) error
	UnreferencedBlobs(ctx context.Context, digests []string) ([]string, error)
}
