package vitrine_test

import (
	"strings"
	"testing"

	"github.com/vitrine/vitrine"
)

func TestValidToken(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		token string
		want  bool
	}{{"", false}, {"short", false}, {strings.Repeat("x", 15), false}, {strings.Repeat("x", 16), true}, {"vtr_0123456789abcdef", true}} {
		if err := vitrine.ValidToken(tt.token); (err == nil) != tt.want {
			t.Errorf("ValidToken(%q) = %v, want valid %v", tt.token, err, tt.want)
		} else if err != nil && (vitrine.ErrorCode(err) != vitrine.EINVALID || tt.token != "" && strings.Contains(err.Error(), tt.token)) {
			t.Errorf("ValidToken(%q) = %v, want EINVALID without the token", tt.token, err)
		}
	}
}
