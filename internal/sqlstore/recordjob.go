package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/vitrine/vitrine"
)

// RecordJob records a job that already ran in the request (an
// invalidation, for example): its options, total and log, with the status
// the log's levels give.
func (d *DB) RecordJob(ctx context.Context, p *vitrine.Principal, typ vitrine.JobType, name string, options any, total int, lines []JobLine) (*vitrine.Job, error) {
	opts, err := json.Marshal(options)
	if err != nil {
		return nil, fmt.Errorf("encode job options: %w", err)
	}
	var job *vitrine.Job
	err = d.inTx(ctx, func(tx *Tx) error {
		j, err := tx.createJob(ctx, p.Company.ID, typ, name, actorOf(p), string(opts))
		if err != nil {
			return err
		}
		j.Total = total
		for _, l := range lines {
			if err := tx.logJob(ctx, j, l.Asset, l.Level, l.Message); err != nil {
				return err
			}
			if l.Level == vitrine.LogInfo && j.Done < total {
				j.Done++
			}
		}
		job = j
		return tx.finishJob(ctx, j)
	})
	return job, err
}
