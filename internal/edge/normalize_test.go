package edge

import "testing"

func TestDefaultNormalize(t *testing.T) {
	t.Parallel()
	tests := []struct{ path, query, want string }{
		{"/is/image/acme/shoe", "", "/is/image/acme/shoe"},
		{"/is/image/acme/shoe", "wid=100&hei=50", "/is/image/acme/shoe?hei=50&wid=100"},
		{"/is/image/acme/shoe", "HEI=50&Wid=100", "/is/image/acme/shoe?hei=50&wid=100"},
		{"/is/image/acme/shoe", ".comment&wid=100&&", "/is/image/acme/shoe?wid=100"},
		{"/is/image/acme/shoe", ".only&&", "/is/image/acme/shoe"},
		{"/is/image/acme/shoe", "bgc=FfFfFf&fmt=JPEG", "/is/image/acme/shoe?bgc=FfFfFf&fmt=JPEG"},     // values keep case
		{"/is/image/acme/shoe", "wid=1&hei=2&wid=3", "/is/image/acme/shoe?hei=2&wid=1&wid=3"},         // last still wins
		{"/is/image/acme/shoe", "wid=1&$Product$&hei=2", "/is/image/acme/shoe?wid=1&$product$&hei=2"}, // presets keep order
		{"/is/image/acme/Shoe", "op_sharpen", "/is/image/acme/Shoe?op_sharpen"},                       // ids are case-sensitive
	}
	for _, tt := range tests {
		if got := DefaultNormalize(tt.path, tt.query); got != tt.want {
			t.Errorf("DefaultNormalize(%q, %q) = %q, want %q", tt.path, tt.query, got, tt.want)
		}
	}
}
