//go:build !linux

package delivery

// lowerPriority does nothing outside Linux, where threads have no nice
// value of their own.
func lowerPriority() {}
