package vitrine

import (
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"
)

// ETHROTTLED refuses a request made too often (sign-in attempts, for now).
const ETHROTTLED = "throttled"

// Account is a user as the company's administrators see it: the user, how
// to reach them, and their role in the company.
type Account struct {
	User
	Email       string     `json:"email,omitempty"`
	Role        Role       `json:"role"`
	Disabled    bool       `json:"disabled"`     // this company's access is switched off
	HasPassword bool       `json:"has_password"` // can sign in to the workspace
	LastSignIn  *time.Time `json:"last_sign_in,omitempty"`
}

// PersonalToken is an API token as its owner sees it: never the secret,
// which is shown once, when the token is made.
type PersonalToken struct {
	ID         int64      `json:"id"`
	Name       string     `json:"name"`
	Prefix     string     `json:"prefix"` // the first characters, to recognise it
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at,omitempty"`
	ExpiresAt  *time.Time `json:"expires_at,omitempty"` // nil: never expires
}

// Session is a signed-in browser. Its secret lives only in the cookie; the
// store keeps its hash.
type Session struct {
	ID         int64
	UserID     int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute expiry: sign in again after this
}

// Live reports whether the session may still be used at now: before its
// absolute expiry and seen within idle.
func (s Session) Live(now time.Time, idle time.Duration) bool {
	return now.Before(s.ExpiresAt) && now.Sub(s.LastSeenAt) < idle
}

// LinkPurpose is what a one-time link lets its holder do.
type LinkPurpose string

// LinkSetPassword lets the holder set the account's password: the first
// sign-in of an invited user or of the bootstrap admin, or a reset.
const LinkSetPassword LinkPurpose = "set_password"

// Invitation asks for a new account in a company.
type Invitation struct {
	Name  string `json:"name"`
	Email string `json:"email"`
	Role  Role   `json:"role"`
}

// Validate checks an invitation.
func (in *Invitation) Validate() error {
	in.Email = NormalizeEmail(in.Email)
	switch {
	case in.Name == "" || len(in.Name) > 128 || strings.ContainsAny(in.Name, "@ \t\r\n"):
		return Errorf(EINVALID, "name must be 1-128 bytes without spaces or @")
	case in.Email != "" && !ValidEmail(in.Email):
		return Errorf(EINVALID, "email %q is not an address like ana@example.com", in.Email)
	case in.Role != RoleAdmin && in.Role != RoleUser:
		return Errorf(EINVALID, "role must be admin or user")
	}
	return nil
}

// NormalizeEmail trims and lower-cases an address, so sign-in by email does
// not depend on case.
func NormalizeEmail(s string) string { return strings.ToLower(strings.TrimSpace(s)) }

// ValidEmail reports whether s is a bare address (no display name).
func ValidEmail(s string) bool {
	a, err := mail.ParseAddress(s)
	return err == nil && a.Address == s && a.Name == ""
}

// MinPasswordLength and MaxPasswordLength bound a password, in characters.
// No composition rules: length is what makes a password hard to guess
// (NIST SP 800-63B).
const (
	MinPasswordLength = 10
	MaxPasswordLength = 256
)

// ValidatePassword checks a new password.
func ValidatePassword(pw, userName, email string) error {
	n := utf8.RuneCountInString(pw)
	switch {
	case n < MinPasswordLength:
		return Errorf(EINVALID, "the password must have at least %d characters", MinPasswordLength)
	case n > MaxPasswordLength:
		return Errorf(EINVALID, "the password must have at most %d characters", MaxPasswordLength)
	case strings.EqualFold(pw, userName) || (email != "" && strings.EqualFold(pw, email)):
		return Errorf(EINVALID, "the password must not be your user name or email")
	}
	return nil
}

// SetPasswordLinkTTL is how long a one-time set-password link stays valid.
const SetPasswordLinkTTL = 72 * time.Hour

// SetPasswordPath is the workspace path of a one-time set-password link.
// The secret rides in the query, which access logs leave out.
func SetPasswordPath(secret string) string { return "/set-password?token=" + secret }
