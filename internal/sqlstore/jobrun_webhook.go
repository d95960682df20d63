package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"time"

	"github.com/vitrine/vitrine"
)

// WebhookSecret returns a company's notification signing secret (JOB-6),
// creating it on first use. The format is Standard Webhooks': "whsec_" and
// the base64 of 32 random bytes.
func (d *DB) WebhookSecret(ctx context.Context, companyID int64) (string, error) {
	var secret string
	err := d.inTx(ctx, func(tx *Tx) error {
		err := tx.queryRow(ctx, `SELECT secret FROM webhook_secrets WHERE company_id = ?`, companyID).Scan(&secret)
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		secret = newWebhookSecret()
		_, err = tx.exec(ctx, `INSERT INTO webhook_secrets (company_id, secret, created_at) VALUES (?, ?, ?)`, companyID, secret, toMicros(tx.now))
		return err
	})
	return secret, err
}

// RotateWebhookSecret replaces a company's signing secret.
func (d *DB) RotateWebhookSecret(ctx context.Context, companyID int64) (string, error) {
	secret := newWebhookSecret()
	err := d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO webhook_secrets (company_id, secret, created_at) VALUES (?, ?, ?)
			ON CONFLICT (company_id) DO UPDATE SET secret = excluded.secret, created_at = excluded.created_at`, companyID, secret, toMicros(tx.now))
		return err
	})
	return secret, err
}

func newWebhookSecret() string {
	b := make([]byte, 32)
	rand.Read(b)
	return "whsec_" + base64.StdEncoding.EncodeToString(b)
}

// LogWebhookDelivery records a delivery attempt.
func (d *DB) LogWebhookDelivery(ctx context.Context, companyID int64, w WebhookDelivery) error {
	return d.inTx(ctx, func(tx *Tx) error {
		_, err := tx.exec(ctx, `INSERT INTO webhook_deliveries (company_id, job_id, message_id, url, attempt, status_code, error, duration_ms, at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`, companyID, w.JobID, w.MessageID, w.URL, w.Attempt, w.StatusCode, w.Error,
			w.Duration.Milliseconds(), toMicros(w.At))
		return err
	})
}

// WebhookDeliveries lists a job's delivery attempts, oldest first.
func (d *DB) WebhookDeliveries(ctx context.Context, companyID, jobID int64) ([]WebhookDelivery, error) {
	out := []WebhookDelivery{}
	err := d.read(ctx, func(tx *Tx) error {
		rows, err := tx.query(ctx, `SELECT id, job_id, message_id, url, attempt, status_code, error, duration_ms, at FROM webhook_deliveries
			WHERE company_id = ? AND job_id = ? ORDER BY id`, companyID, jobID)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var w WebhookDelivery
			var ms, at int64
			if err := rows.Scan(&w.ID, &w.JobID, &w.MessageID, &w.URL, &w.Attempt, &w.StatusCode, &w.Error, &ms, &at); err != nil {
				return err
			}
			w.Duration, w.At = time.Duration(ms)*time.Millisecond, fromMicros(at)
			out = append(out, w)
		}
		return rows.Err()
	})
	return out, err
}

// UserByID returns a user.
func (d *DB) UserByID(ctx context.Context, id int64) (*vitrine.User, error) {
	var u vitrine.User
	err := d.read(ctx, func(tx *Tx) error {
		var created int64
		err := tx.queryRow(ctx, `SELECT id, name, system_admin, created_at FROM users WHERE id = ?`, id).Scan(&u.ID, &u.Name, &u.SystemAdmin, &created)
		if errors.Is(err, sql.ErrNoRows) {
			return vitrine.Errorf(vitrine.ENOTFOUND, "user %d not found", id)
		}
		u.CreatedAt = fromMicros(created)
		return err
	})
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// CompanyByID returns a company.
func (d *DB) CompanyByID(ctx context.Context, id int64) (*vitrine.Company, error) {
	var c *vitrine.Company
	err := d.read(ctx, func(tx *Tx) (err error) {
		c, err = tx.company(ctx, `id = ?`, id)
		return err
	})
	return c, err
}
