// Package imaging renders Scene7-compatible image requests with libvips.
//
// A request goes through three stages, each usable on its own so the
// delivery layer can answer early:
//
//  1. Parse turns the query string into a Request: presets expanded in place,
//     last command wins, values validated. Request.CacheKey is its canonical
//     form (also what URL signatures cover).
//  2. NewPlan computes every size of the reply from the request and the
//     source's header alone (width, height, EXIF orientation), so a reply
//     above MaxPix is refused with EFORBIDDEN before any pixel is decoded.
//  3. Renderer.Render runs the plan on the source bytes in a bounded worker
//     pool: a list of small steps (load with shrink-on-load and EXIF
//     orientation, source crop, resize, colour to sRGB, flip/rotate,
//     sharpen, canvas, flatten, metadata strip, then encode), one file
//     each (step_*.go, encode.go), listed in pipeline.go.
//
// Sign and Verify implement optional URL signing over the cache key;
// ImageProps, ReplyProps and ExistsProps list the properties of
// req=imageprops, props and exists; internal/delivery writes them in the
// asked form.
//
// Geometry follows the Scene7 view transform (reference notes §1.2): EXIF
// orientation first, then crop, flip, rotate, then scale or fit into
// wid×hei placed by align and padded with bgc, then rect. The renderer
// resizes before flipping and rotating because it is cheaper and gives the
// same pixels; the plan swaps the axes for it.
package imaging
