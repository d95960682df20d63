package imaging

// stripAll drops every metadata field (EXIF with GPS, XMP, IPTC, the ICC
// profile, the orientation): replies are plain sRGB and must not leak
// where a photo was taken. The encoders are also told to strip, but that
// is not enough: libvips 8.14's webpsave writes a fresh EXIF block from a
// leftover orientation field even with strip set.
func stripAll(st *state) error {
	if err := st.img.RemoveMetadata(); err != nil {
		return err
	}
	if err := st.img.RemoveOrientation(); err != nil {
		return err
	}
	return st.img.RemoveICCProfile()
}
