package ui_test

import (
	"bytes"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/vitrine/vitrine/internal/testenv"
)

// TestUploadKeepsChoices: the page an upload without JavaScript comes back
// to shows the choices it was made with, not the folder's defaults again
// (a "No" that came back as "Yes" published the next upload).
func TestUploadKeepsChoices(t *testing.T) {
	t.Parallel()
	testenv.EachEngine(t, func(t *testing.T, engine *testenv.Env) {
		e := setup(t, engine)
		var img bytes.Buffer
		if err := png.Encode(&img, image.NewGray(image.Rect(0, 0, 8, 8))); err != nil {
			t.Fatal(err)
		}
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		for k, v := range map[string]string{"folder": "/up", "publish": "false", "overwrite": "any_ext"} {
			mw.WriteField(k, v)
		}
		fw, _ := mw.CreateFormFile("file", "pic.png")
		fw.Write(img.Bytes())
		mw.Close()
		req, _ := http.NewRequest("POST", e.srv.URL+"/c/acme/upload", &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := e.client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		page, _ := io.ReadAll(res.Body)
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("upload = %d %s", res.StatusCode, page)
		}
		for _, want := range []string{`<option value="false" selected>`, `<option value="any_ext" selected>`} {
			if !strings.Contains(string(page), want) {
				t.Errorf("the page after the upload lacks %s", want)
			}
		}
		if e.asset(t, "pic").Published.Delivery != nil {
			t.Errorf("pic was published")
		}
	})
}
