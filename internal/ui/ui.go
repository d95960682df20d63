// Package ui is the web workspace: server-rendered pages (html/template,
// one handler file and one template per page, a shared layout), a small
// hand-written JavaScript and CSS file, all embedded in the binary and
// served by vitrine serve at /.
//
// Security: a strict Content-Security-Policy (no inline script or style),
// a session cookie that is HttpOnly and SameSite=Lax, and Go's
// http.CrossOriginProtection refusing cross-origin form posts.
package ui

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/auth"
	"github.com/vitrine/vitrine/internal/service"
)

// Store is what the pages read and change. *sqlstore.DB has these
// methods today; the service layer may take its place.
type Store interface {
	MemberCompanies(ctx context.Context, u *vitrine.User) ([]vitrine.Company, error)
	Principal(ctx context.Context, u *vitrine.User, rootID string) (*vitrine.Principal, error)
	Folders(ctx context.Context, c *vitrine.Company, under string) ([]vitrine.Folder, error)
	Assets(ctx context.Context, companyID int64, f vitrine.AssetFilter) (*vitrine.AssetPage, error)
	vitrine.AssetReader
	vitrine.FolderService
	UserTokens(ctx context.Context, userID int64) ([]vitrine.PersonalToken, error)
	CreatePersonalToken(ctx context.Context, userID int64, name string, expiresAt *time.Time) (*vitrine.PersonalToken, string, error)
	RevokeToken(ctx context.Context, userID, tokenID int64) error

	// Upload and Detail.
	Folder(ctx context.Context, c *vitrine.Company, path string) (*vitrine.Folder, error)
	Job(ctx context.Context, companyID, id int64) (*vitrine.JobRun, error)
	JobLog(ctx context.Context, companyID, id, after int64, limit int) ([]vitrine.JobLogEntry, error)
	vitrine.AssetReader
	Versions(ctx context.Context, companyID int64, name string) ([]vitrine.Version, error)
	History(ctx context.Context, companyID int64, name string, limit int) ([]vitrine.HistoryEntry, error)
	Relations(ctx context.Context, companyID int64, name string) (*vitrine.Relations, error)

	// Sets.
	Set(ctx context.Context, companyID int64, name string) (*vitrine.Set, error)
	jobReader // Jobs: History, a job's log and notification attempts (jobs.go)
}

// Server serves the workspace.
type Server struct {
	svc   *service.Service
	store Store
	auth  *auth.Service
	log   *slog.Logger
	pages pages
	files statics
	jobs  Jobs       // nil: no job engine
	live  liveEvents // the event stream pages follow (events.go)
	h     http.Handler
}

// New returns the workspace handler. Pages read through store and change
// things only through svc's use cases, the same the API calls.
func New(svc *service.Service, store Store, auth *auth.Service, log *slog.Logger, opts ...Option) (*Server, error) {
	s := &Server{svc: svc, store: store, auth: auth, log: log}
	for _, o := range opts {
		o(s)
	}
	var err error
	if s.files, err = loadStatics(); err != nil {
		return nil, err
	}
	if s.pages, err = loadPages(s.files); err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	for _, rt := range s.routes() {
		mux.Handle(rt.pattern, rt.h)
	}
	// Cross-origin form posts are refused before any handler runs; the
	// SameSite=Lax cookie is the second line.
	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, nil, http.StatusForbidden, "This form came from another site and was refused.")
	}))
	s.h = securityHeaders(csrf.Handler(mux))
	return s, nil
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.h.ServeHTTP(w, r) }

type route struct {
	pattern string
	h       http.Handler
}

// routes is the workspace: one table.
func (s *Server) routes() []route {
	const c = "/c/{company}"
	return []route{
		{"GET /static/{file}", http.HandlerFunc(s.static)},
		{"GET /{$}", s.signedIn(s.home)},
		{"GET /signin", http.HandlerFunc(s.signInPage)},
		{"POST /signin", http.HandlerFunc(s.signIn)},
		{"GET /set-password", http.HandlerFunc(s.setPasswordPage)},
		{"POST /set-password", http.HandlerFunc(s.setPassword)},
		{"POST /signout", http.HandlerFunc(s.signOut)},
		{"GET /account", s.signedIn(s.account)},
		{"POST /account/tokens", s.signedIn(s.createToken)},
		{"POST /account/tokens/{id}/revoke", s.signedIn(s.revokeToken)},
		{"POST /account/signout-everywhere", s.signedIn(s.signOutEverywhere)},
		{"GET " + c + "/{$}", s.inCompany(s.browse)},
		{"GET " + c + "/browse", s.inCompany(s.browse)},
		{"GET " + c + "/upload", s.inCompany(s.upload)},
		{"POST " + c + "/upload", s.inCompany(s.uploadPost)},
		{"POST " + c + "/upload/jobs", s.inCompany(s.uploadOpen)},
		{"POST " + c + "/upload/jobs/{id}/finish", s.inCompany(s.uploadFinish)},
		{"GET " + c + "/jobs", s.inCompany(s.jobHistory)},
		{"GET " + c + "/jobs/{id}", s.inCompany(s.job)},
		{"POST " + c + "/jobs/{id}/cancel", s.inCompany(s.jobCancel)},
		{"GET " + c + "/events", s.inCompany(s.eventStream)},
		{"GET " + c + "/assets/{name}/pubs", s.inCompany(s.pubsFragment)},
		{"GET " + c + "/assets/{name}", s.inCompany(s.detail)},
		{"POST " + c + "/assets/{name}/metadata", s.inCompany(s.detailMetadata)},
		{"POST " + c + "/assets/{name}/versions/{version}/restore", s.inCompany(s.detailRestore)},
		{"POST " + c + "/publish-toggle", s.inCompany(s.publishToggle)},
		{"POST " + c + "/selection", s.inCompany(s.selection)},
		{"GET " + c + "/folder", s.inCompany(s.folderPage)},
		{"POST " + c + "/folder", s.inCompany(s.folderChange)},
		{"GET " + c + "/publication", s.inCompany(s.publicationPage)},
		{"POST " + c + "/publication/plan", s.inCompany(s.publicationPlan)},
		{"POST " + c + "/publication/apply", s.inCompany(s.publicationApply)},
		// The Jobs page's Scheduled, New publish job and New upload job tabs.
		{"GET " + c + "/publish", s.inCompany(s.publishPage)},
		{"POST " + c + "/publish", s.inCompany(s.publishPost)},
		{"GET " + c + "/publish/preview", s.inCompany(s.publishPreview)},
		{"GET " + c + "/jobs/scheduled", s.inCompany(s.scheduled)},
		{"POST " + c + "/jobs/scheduled/{id}/active", s.inCompany(s.scheduledActive)},
		{"GET " + c + "/jobs/scheduled/{id}/edit", s.inCompany(s.scheduledEdit)},
		{"POST " + c + "/jobs/scheduled/{id}/edit", s.inCompany(s.scheduledSave)},
		{"GET " + c + "/jobs/scheduled/{id}/delete", s.inCompany(s.scheduledDeletePage)},
		{"POST " + c + "/jobs/scheduled/{id}/delete", s.inCompany(s.scheduledDelete)},
		{"POST " + c + "/jobs/scheduled/{id}/run", s.inCompany(s.scheduledRun)},
		{"GET " + c + "/upload-jobs", s.inCompany(s.uploadJobPage)},
		{"POST " + c + "/upload-jobs", s.inCompany(s.uploadJobPost)},
		{"GET " + c + "/sets", s.inCompany(s.setsPage)},
		{"GET " + c + "/sets/{name}", s.inCompany(s.setEdit)},
		{"POST " + c + "/sets/{name}", s.inCompany(s.setPost)},
		{"GET " + c + "/setup", s.admin(s.setupHome)},
		{"GET " + c + "/setup/publish", s.admin(s.setupPublish)},
		{"POST " + c + "/setup/publish", s.admin(s.setupPublishSave)},
		{"GET " + c + "/setup/image", s.admin(s.setupImage)},
		{"POST " + c + "/setup/image", s.admin(s.setupImageSave)},
		{"GET " + c + "/setup/presets", s.admin(s.setupPresets)},
		{"POST " + c + "/setup/presets", s.admin(s.setupPresetSave)},
		{"POST " + c + "/setup/presets/{name}/delete", s.admin(s.setupPresetDelete)},
		{"GET " + c + "/setup/security", s.admin(s.setupSecurity)},
		{"POST " + c + "/setup/security/signing", s.admin(s.setupSigningSave)},
		{"POST " + c + "/setup/security/signing-key", s.admin(s.setupSigningKey)},
		{"POST " + c + "/setup/security/webhook-secret", s.admin(s.setupWebhookSecret)},
		{"GET " + c + "/setup/cdn", s.admin(s.setupCDN)},
		{"POST " + c + "/setup/cdn/template", s.admin(s.setupTemplateSave)},
		{"POST " + c + "/setup/cdn/invalidate", s.admin(s.setupInvalidate)},
		{"GET " + c + "/setup/cdn/invalidations/{id}", s.admin(s.setupInvalidation)},
		{"GET " + c + "/setup/users", s.admin(s.setupUsers)},
		{"POST " + c + "/setup/users", s.admin(s.setupInvite)},
		{"POST " + c + "/setup/users/{name}", s.admin(s.setupUserChange)},
		{"POST " + c + "/setup/users/{name}/reset", s.admin(s.setupUserReset)},
		{"GET " + c + "/{section}", s.inCompany(s.notFound)},
	}
}

// securityHeaders sets the headers every workspace answer carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "+
			"connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin") // one-time links ride in the query
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// errorText is what a page shows for an error: the domain's message,
// never internals (those are logged).
func (s *Server) errorText(r *http.Request, err error) string {
	if vitrine.ErrorCode(err) == vitrine.EINTERNAL {
		s.log.ErrorContext(r.Context(), "workspace", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	return vitrine.ErrorMessage(err)
}

var errNoCompany = vitrine.Errorf(vitrine.ENOTFOUND, "you are not a member of any company yet; ask an admin to invite you")

// isNotSignedIn reports whether err means: sign in first.
func isNotSignedIn(err error) bool {
	var e *vitrine.Error
	return errors.As(err, &e) && e.Code == vitrine.EUNAUTHORIZED
}
