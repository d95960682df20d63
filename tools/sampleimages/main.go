// Command sampleimages writes small sample images for the README tour,
// so it works on a fresh clone without files of your own:
//
//	go run ./tools/sampleimages shoe.jpg hat.png draft.jpg teaser.jpg
//
// Each image is a 640×480 gradient, coloured after its name; the format
// follows the extension (.jpg, .jpeg or .png).
package main

import (
	"fmt"
	"hash/fnv"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: go run ./tools/sampleimages FILE.jpg|FILE.png…")
		os.Exit(2)
	}
	for _, name := range os.Args[1:] {
		if err := write(name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
}

func write(name string) error {
	h := fnv.New32a()
	h.Write([]byte(filepath.Base(name)))
	seed := h.Sum32()
	m := image.NewRGBA(image.Rect(0, 0, 640, 480))
	for y := range 480 {
		for x := range 640 {
			m.Set(x, y, color.RGBA{R: uint8(seed) + uint8(x/3), G: uint8(seed>>8) + uint8(y/2), B: uint8(seed >> 16), A: 255})
		}
	}
	f, err := os.Create(name)
	if err != nil {
		return err
	}
	switch strings.ToLower(filepath.Ext(name)) {
	case ".png":
		err = png.Encode(f, m)
	case ".jpg", ".jpeg":
		err = jpeg.Encode(f, m, &jpeg.Options{Quality: 85})
	default:
		err = fmt.Errorf("%s: want a .jpg or .png name", name)
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}
