package delivery

import (
	"context"
	"testing"

	"github.com/vitrine/vitrine"
)

// One company cannot take every read slot: with four slots, a third
// concurrent read of one company is refused at once while another
// company still gets a slot (issue 15, item 6: render pool fair share).
func TestReadSlotsShared(t *testing.T) {
	t.Parallel()
	h := &Handler{reads: make(chan struct{}, 4), share: newReadShare(4)}
	ctx := context.Background()
	var held []func()
	for range 2 {
		rel, err := h.acquire(ctx, 1)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, rel)
	}
	if _, err := h.acquire(ctx, 1); vitrine.ErrorCode(err) != vitrine.EUNAVAILABLE {
		t.Errorf("third read of company 1 = %v, want unavailable at once", err)
	}
	rel, err := h.acquire(ctx, 2)
	if err != nil {
		t.Fatalf("company 2 with two slots free: %v", err)
	}
	rel()
	held[0]()
	if rel, err := h.acquire(ctx, 1); err != nil {
		t.Errorf("company 1 after releasing one: %v", err)
	} else {
		rel()
	}
}
