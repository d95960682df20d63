//go:build !linux || !cgo

package imaging

func limitArenas(int) {}

func trimHeap() {}
