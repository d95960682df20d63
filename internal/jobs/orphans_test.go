package jobs_test

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
	"github.com/vitrine/vitrine/internal/jobs"
	"github.com/vitrine/vitrine/internal/testenv"
)

// TestRestartedNodeTakesBackItsJobs: on PostgreSQL a node killed mid-job
// leaves the job running in River's table. When the node starts again
// under its id (serve keeps it in the data directory) it takes back at
// once the jobs it was running, without waiting for River's rescuer
// (RescueAfter, 2 minutes); the jobs another node is running stay that
// node's.
func TestRestartedNodeTakesBackItsJobs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	dsn := testenv.DSN(t, testenv.Postgres)
	e := newEnv(t, dsn, func(c *jobs.Config) { c.NodeID = "node-a" })
	e.instantOff(t)
	e.upload(t, "/a", 0, 5)
	mine, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "Mine", Options: jobs.Options{Folders: []string{"/a"}}})
	if err != nil {
		t.Fatal(err)
	}
	theirs, err := e.eng.Submit(ctx, e.user, jobs.Submission{Name: "Theirs", Options: jobs.Options{Folders: []string{"/a"}}})
	if err != nil {
		t.Fatal(err)
	}
	// What a kill leaves: both running, one last attempted by this node's
	// earlier run, one by another node that is still alive.
	for id, node := range map[int64]string{mine.ID: "node-a", theirs.ID: "node-b"} {
		if _, err := e.db.SQL().ExecContext(ctx, `UPDATE river_job SET state = 'running', attempt = 1, attempted_at = now(),
			attempted_by = ARRAY['node-x', $1] WHERE (args->>'job_id')::bigint = $2`, node, id); err != nil {
			t.Fatal(err)
		}
	}
	if err := e.eng.Start(ctx); err != nil {
		t.Fatal(err)
	}
	if done := e.wait(t, mine.ID); done.Status != vitrine.JobSucceeded || done.Published != 5 {
		t.Errorf("the restarted node's job = %+v, want succeeded with 5 published", done)
	}
	var state, by string
	if err := e.db.SQL().QueryRowContext(ctx, `SELECT state, array_to_string(attempted_by, ',') FROM river_job
		WHERE (args->>'job_id')::bigint = $1`, theirs.ID).Scan(&state, &by); err != nil {
		t.Fatal(err)
	}
	if state != "running" || by != "node-x,node-b" {
		t.Errorf("another node's running job is %s, attempted by %s, after this node's start; want running, node-x,node-b (it is that node's)", state, by)
	}
	if j, err := e.db.Job(ctx, 0, theirs.ID); err != nil || j.Done != 0 {
		t.Errorf("another node's job moved on this node: %+v, %v", j, err)
	}
}
