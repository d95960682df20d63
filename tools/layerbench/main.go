// Command layerbench measures, as `make bench` runs it (issue 14), the cold
// render of a smart crop and of a 3-layer composite, each next to the plain
// render of the same output size, in this process through the Renderer
// (one worker, nothing cached): the pairs are interleaved, A then B then B
// then A, for several repetitions, and the medians and their ratio are
// printed with the machine's load.
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/imaging"
	"github.com/vitrine/vitrine/tools/internal/benchutil"
)

func main() {
	n := flag.Int("n", 20, "renders per case and repetition")
	reps := flag.Int("reps", 3, "interleaved repetitions")
	flag.Parse()
	if err := run(*n, *reps); err != nil {
		fmt.Fprintln(os.Stderr, "layerbench:", err)
		os.Exit(1)
	}
}

// render is one case: a plan and the bytes it renders from.
type render struct {
	name   string
	plan   *imaging.Plan
	layers map[string][]byte
}

func run(n, reps int) error {
	ctx := context.Background()
	r, err := imaging.New(imaging.Config{Workers: 1, Queue: 4, Timeout: time.Minute})
	if err != nil {
		return err
	}
	defer r.Close()
	photo := benchutil.Photo(2000, 1500)
	info, err := imaging.Probe(photo)
	if err != nil {
		return err
	}
	badge := badgePNG(600, 300)
	layers := map[string][]byte{"badge": badge}
	headers := map[string]imaging.Source{"badge": {Width: 600, Height: 300}}
	plan := func(query string, crop *vitrine.SmartCrop) (*imaging.Plan, error) {
		req, err := imaging.Parse(query, nil)
		if err != nil {
			return nil, err
		}
		if crop != nil {
			req = req.WithSmartCrop(*crop)
		}
		return imaging.NewCompositePlan(req, info.Source, headers, imaging.Settings{})
	}
	square := vitrine.SmartCrop{Name: "Square", Width: 500, Height: 500, Box: vitrine.CropBox{X: 300, Y: 0, W: 1500, H: 1500}}
	pairs := [][2]struct {
		name, query string
		crop        *vitrine.SmartCrop
	}{
		{{"plain wid=500&hei=500&fit=crop", "wid=500&hei=500&fit=crop", nil}, {"smart crop :Square (1500x1500 box at 500x500)", "", &square}},
		{{"plain wid=500 (500x375)", "wid=500", nil}, {"3 layers: photo, colour tile (mult), badge PNG (opac=80)",
			"wid=500&layer=1&color=e8e0d0&size=2000,1500&blendMode=mult&layer=2&src=badge&pos=600,-450&opac=80", nil}},
	}
	var cases [][2]render
	for _, p := range pairs {
		var c [2]render
		for i, side := range p {
			pl, err := plan(side.query, side.crop)
			if err != nil {
				return fmt.Errorf("%s: %w", side.name, err)
			}
			c[i] = render{name: side.name, plan: pl, layers: layers}
		}
		if c[0].plan.Width != c[1].plan.Width || c[0].plan.Height != c[1].plan.Height {
			return fmt.Errorf("%s is %dx%d, %s %dx%d: not the same output size", c[0].name, c[0].plan.Width, c[0].plan.Height,
				c[1].name, c[1].plan.Width, c[1].plan.Height)
		}
		cases = append(cases, c)
	}
	once := func(c render) (time.Duration, error) {
		start := time.Now()
		_, err := r.RenderComposite(ctx, photo, c.layers, c.plan)
		return time.Since(start), err
	}
	// Warm up libvips and the code paths once per case.
	for _, c := range cases {
		for _, side := range c {
			if _, err := once(side); err != nil {
				return err
			}
		}
	}
	times := make([][2][]time.Duration, len(cases))
	for rep := range reps {
		for ci, c := range cases {
			order := []int{0, 1, 1, 0}
			if rep%2 == 1 {
				order = []int{1, 0, 0, 1}
			}
			for _, side := range order {
				for range n / 2 {
					d, err := once(c[side])
					if err != nil {
						return err
					}
					times[ci][side] = append(times[ci][side], d)
				}
			}
		}
	}
	load, _ := os.ReadFile("/proc/loadavg")
	fmt.Printf("cold renders, 2000x1500 JPEG photo, one worker, %d reps x %d renders per case, interleaved; load %s\n",
		reps, 2*(n/2), strings.TrimSpace(string(load)))
	fmt.Printf("%-58s %10s %-46s %10s %7s\n", "plain", "median", "variant", "median", "ratio")
	for ci, c := range cases {
		a, b := median(times[ci][0]), median(times[ci][1])
		fmt.Printf("%-58s %10s %-46s %10s %6.2fx\n", c[0].name, a.Round(10*time.Microsecond), c[1].name, b.Round(10*time.Microsecond),
			float64(b)/float64(a))
	}
	return nil
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

// badgePNG is a w×h badge: an opaque red disc on a transparent square.
func badgePNG(w, h int) []byte {
	m := image.NewNRGBA(image.Rect(0, 0, w, h))
	cx, cy, rr := w/2, h/2, min(w, h)/2
	for y := range h {
		for x := range w {
			if (x-cx)*(x-cx)+(y-cy)*(y-cy) <= rr*rr {
				m.SetNRGBA(x, y, color.NRGBA{200, 30, 40, 255})
			}
		}
	}
	var b bytes.Buffer
	if err := png.Encode(&b, m); err != nil {
		panic(err)
	}
	return b.Bytes()
}
