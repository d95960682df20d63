package vitrine

// MinTokenLen is the shortest API token accepted, generated or given
// (VITRINE_ADMIN_TOKEN).
const MinTokenLen = 16

// ValidToken checks a plain API token before it is stored. The error does
// not repeat the token: it is a secret.
func ValidToken(plain string) error {
	if len(plain) < MinTokenLen {
		return Errorf(EINVALID, "a token must be at least %d characters", MinTokenLen)
	}
	return nil
}
