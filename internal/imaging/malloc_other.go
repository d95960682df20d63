//go:build !linux || !cgo

package imaging

func limitArenas(int) {}

func fixMmapThreshold(int) {}

func fixTrimThreshold(int) {}

func trimHeap() {}

func cHeap() (arena, mapped int64) { return 0, 0 }
