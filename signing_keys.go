package vitrine

// SigningKeysKept is how many URL signing keys stay live after a rotation:
// the new one and the one before it, so URLs signed a moment ago keep
// working until the next rotation retires them.
const SigningKeysKept = 2

// RotatedSigningKeys is the key list after a rotation that makes key: key
// first, then the newest of the current keys, SigningKeysKept in all.
func RotatedSigningKeys(current []string, key string) []string {
	keys := append([]string{key}, current...)
	return keys[:min(len(keys), SigningKeysKept)]
}
