package delivery

import "syscall"

// lowerPriority lowers the calling OS thread's CPU priority (nice 10), and
// so that of the threads it starts: background work yields to renders.
func lowerPriority() { syscall.Setpriority(syscall.PRIO_PROCESS, syscall.Gettid(), 10) }
