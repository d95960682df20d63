package sqlstore

import (
	"context"
	"fmt"
)

// historyReferents does, once for a statement that writes history rows, the
// checks PostgreSQL's foreign keys did for every row: the companies, the
// assets, the job and the user the rows name exist (migration 00013 dropped
// those constraints; a publish batch of 1,000 assets paid 8,000 key lookups,
// 6,000 of them for three values). The rule that makes one check enough:
// the rows are locked FOR KEY SHARE until the transaction ends, so none can
// be deleted (nor its key changed) between the check and the insert, nor
// before the history rows commit; a delete afterwards is the triggers' of
// 00013, as it was the constraints' ON DELETE actions. A publish batch
// passes no assets: it holds them FOR UPDATE already (lockAssets). A job or
// user of 0 is none (NULL). SQLite keeps its constraints and checks nothing
// here.
func (tx *Tx) historyReferents(ctx context.Context, companies, assets []int64, jobID, userID int64) error {
	if tx.db.dialect != Postgres {
		return nil
	}
	for _, c := range []struct {
		table string
		ids   []int64
	}{{"companies", distinct(companies)}, {"assets", distinct(assets)}, {"jobs", nonZero(jobID)}, {"users", nonZero(userID)}} {
		if len(c.ids) == 0 {
			continue
		}
		var n int
		err := tx.queryRow(ctx, `SELECT COUNT(*) FROM (SELECT 1 FROM `+c.table+` WHERE id = ANY(?::bigint[]) FOR KEY SHARE) k`, c.ids).Scan(&n)
		if err != nil {
			return fmt.Errorf("history: lock %s: %w", c.table, err)
		}
		if n != len(c.ids) {
			return fmt.Errorf("history: %s %v: some do not exist", c.table, c.ids)
		}
	}
	return nil
}

func nonZero(id int64) []int64 {
	if id == 0 {
		return nil
	}
	return []int64{id}
}

func distinct(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	var out []int64
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}
