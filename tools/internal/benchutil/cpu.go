package benchutil

import (
	"context"
	"database/sql"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// ProcCPU is the user and system time process pid has used so far, from
// /proc (0 when it cannot be read). Linux counts it in ticks of 1/100 s.
// On a machine shared with other work a run's wall time varies by a
// factor of two while its CPU time barely moves, so the benches print both.
func ProcCPU(pid int) time.Duration {
	f := procStat(pid)
	if len(f) < 13 {
		return 0
	}
	utime, _ := strconv.ParseInt(f[11], 10, 64)
	stime, _ := strconv.ParseInt(f[12], 10, 64)
	return time.Duration(utime+stime) * 10 * time.Millisecond
}

// ChildPids lists the processes whose parent is pid (nginx's workers).
func ChildPids(pid int) []int {
	var out []int
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		child, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		if f := procStat(child); len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, child)
		}
	}
	return out
}

// procStat returns the fields of /proc/PID/stat from the 3rd (state) on,
// or nil when it cannot be read: the 2nd, the command name in parentheses,
// may hold spaces.
func procStat(pid int) []string {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return nil
	}
	s := string(b)
	return strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
}

// SelfCPU is the user and system time this process has used so far.
func SelfCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// DatabaseCPU is the CPU time used so far by PostgreSQL's backends serving
// db's database (read from /proc, so it counts a server on this machine,
// and only the backends alive when it is read).
func DatabaseCPU(ctx context.Context, db *sql.DB) time.Duration {
	rows, err := db.QueryContext(ctx, `SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)
	if err != nil {
		return 0
	}
	defer rows.Close()
	var t time.Duration
	for rows.Next() {
		var pid int
		if rows.Scan(&pid) == nil {
			t += ProcCPU(pid)
		}
	}
	return t
}
