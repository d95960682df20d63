// Package media identifies uploaded files from their bytes and reads image
// dimensions from their headers. It is the upload gatekeeper of UP-7: the
// stored type comes from the content, never from the file name or the
// Content-Type, and anything outside the allow-list is refused with a clear
// *vitrine.Error.
//
// Probe never decodes pixels and never allocates in proportion to what a
// header claims: it reads a bounded head of the file for sniffing and walks
// boxes, chunks and segments through a fixed-size window, so pixel floods,
// frame bombs and truncated headers are refused cheaply before any decoder
// sees them.
package media
