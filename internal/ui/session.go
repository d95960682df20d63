package ui

import (
	"context"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
)

// Cookie names. Browsers take a "__Host-" cookie only with Secure, from a
// secure origin: HTTPS, or loopback over plain HTTP (Chromium and Firefox
// treat http://127.0.0.1 and http://localhost as secure contexts). Over
// plain HTTP on any other host, a Secure cookie would be dropped, so the
// session cookie there is the unprefixed name without Secure: put TLS in
// front of such a deployment.
const (
	cookieSecure = "__Host-vitrine_session"
	cookiePlain  = "vitrine_session"
)

// secureOrigin reports whether the browser sees this request's origin as
// secure, so it keeps a Secure cookie.
func secureOrigin(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	host, _, err := net.SplitHostPort(r.Host)
	if err != nil {
		host = r.Host
	}
	if host == "localhost" || strings.HasSuffix(host, ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

func cookieName(r *http.Request) string {
	if secureOrigin(r) {
		return cookieSecure
	}
	return cookiePlain
}

func (s *Server) setSession(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: secret, Path: "/", HttpOnly: true, Secure: secureOrigin(r),
		SameSite: http.SameSiteLaxMode, MaxAge: int(s.auth.Config().SessionMax / time.Second)})
}

func clearSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: "", Path: "/", HttpOnly: true, Secure: secureOrigin(r),
		SameSite: http.SameSiteLaxMode, MaxAge: -1})
}

func sessionSecret(r *http.Request) string {
	c, err := r.Cookie(cookieName(r))
	if err != nil {
		return ""
	}
	return c.Value
}

// view is what every page knows about its request.
type view struct {
	User      *vitrine.User
	P         *vitrine.Principal // nil outside a company
	Companies []vitrine.Company
	Section   string // the nav entry to mark current
}

type ctxKey struct{}

func viewOf(r *http.Request) *view {
	v, _ := r.Context().Value(ctxKey{}).(*view)
	return v
}

// signedIn runs h for a signed-in user, and sends anyone else to the
// sign-in page, coming back here after.
func (s *Server) signedIn(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.auth.Session(r.Context(), sessionSecret(r))
		if isNotSignedIn(err) {
			next := r.URL.RequestURI()
			if r.Method != http.MethodGet {
				next = "/"
			}
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(next), http.StatusSeeOther)
			return
		} else if err != nil {
			s.renderError(w, r, nil, http.StatusInternalServerError, s.errorText(r, err))
			return
		}
		v := &view{User: u}
		if v.Companies, err = s.store.MemberCompanies(r.Context(), u); err != nil {
			s.renderError(w, r, v, http.StatusInternalServerError, s.errorText(r, err))
			return
		}
		w.Header().Set("Cache-Control", "no-store")
		h(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, v)))
	})
}

// inCompany runs h for a signed-in member of {company}; a company the user
// does not belong to is not found (AUTH-3).
func (s *Server) inCompany(h http.HandlerFunc) http.Handler {
	return s.signedIn(func(w http.ResponseWriter, r *http.Request) {
		v := viewOf(r)
		p, err := s.store.Principal(r.Context(), v.User, r.PathValue("company"))
		if err != nil {
			s.renderError(w, r, v, http.StatusNotFound, s.errorText(r, err))
			return
		}
		v.P = p
		h(w, r)
	})
}

// home opens the first company the user belongs to.
func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	v := viewOf(r)
	if len(v.Companies) == 0 {
		s.renderError(w, r, v, http.StatusNotFound, vitrine.ErrorMessage(errNoCompany))
		return
	}
	http.Redirect(w, r, "/c/"+v.Companies[0].RootID+"/browse", http.StatusSeeOther)
}

// safeNext returns where to go after signing in: a local path only, so
// the sign-in page cannot be used to send people elsewhere.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func withView(ctx context.Context, v *view) context.Context {
	return context.WithValue(ctx, ctxKey{}, v)
}

// SessionUser is the signed-in user of r's workspace session: delivery
// asks it so that preview URLs open in the browser (delivery.Sessions).
func (s *Server) SessionUser(r *http.Request) (*vitrine.User, error) {
	return s.auth.Session(r.Context(), sessionSecret(r))
}
