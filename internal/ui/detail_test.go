package ui_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/testenv"
)

// TestDetailRendersFromWhereLive: Detail loads renditions from delivery
// for a published image and shows none for an image live nowhere (where
// /is/image answers 403); the Scene7 URL to copy is absolute either way.
func TestDetailRendersFromWhereLive(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		e := setup(t, engine)
		e.upload(t, "/d", true, "live")
		e.upload(t, "/d", false, "draft")
		absolute := regexp.MustCompile(`id="built-url" class="mono url" readonly value="http://127\.0\.0\.1:\d+/is/image/acme/`)

		st, body := e.get(t, "/c/acme/assets/live?wid=50")
		if st != 200 || !strings.Contains(body, `<img id="source" src="/is/image/acme/live?wid=600"`) ||
			!strings.Contains(body, `<img id="result" src="/is/image/acme/live?wid=50"`) || !absolute.MatchString(body) {
			t.Errorf("detail of a published image = %d: want its source and result from /is/image and an absolute URL to copy", st)
		}
		st, body = e.get(t, "/c/acme/assets/draft?wid=50")
		if st != 200 || !strings.Contains(body, `id="source-none"`) || strings.Contains(body, `<img id="result"`) || strings.Contains(body, `id="crop-hint"`) ||
			strings.Contains(body, `src="/is/image/acme/draft`) || !absolute.MatchString(body) {
			t.Errorf("detail of an image live nowhere = %d: want no image loaded from delivery, a note, and the URL to copy", st)
		}
	})
}
