// Package pagination fetches pages lazily as a range-over-func iterator (iter.Seq2).
package pagination

import (
	"encoding/json"
	"fmt"
	"time"

	"asyncsuite/suite"
)

// [pattern]

import (
	"context"
	"iter"
)

// Page is one fetched page: its items, and whether it is the last.
type Page[T any] struct {
	Items []T
	Last  bool
}

// Items is a lazy sequence of the items of every page: range over it and
// page n+1 is fetched only once the loop asks for the item after the last of
// page n. Leaving the loop early makes yield return false: Items returns, its
// deferred release runs, and no further page is fetched. A failed fetch ends
// the sequence with the error.
func Items[T any](ctx context.Context, fetchPage func(context.Context, int) (Page[T], error), release func()) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		defer release()
		for n := 1; ; n++ {
			page, err := fetchPage(ctx, n)
			if err != nil {
				var zero T
				yield(zero, err)
				return
			}
			for _, item := range page.Items {
				if !yield(item, nil) {
					return // the consumer has stopped
				}
			}
			if page.Last {
				return
			}
		}
	}
}

// [/pattern]

// Run is the scenario adapter: pages of per_page items, each fetch taking
// fetch ticks; the consumer stops after take items.
func Run(input json.RawMessage) error {
	var in struct {
		Pages   int
		PerPage int `json:"per_page"`
		Fetch   int
		Take    int
		Then    int
	}
	if err := json.Unmarshal(input, &in); err != nil {
		return err
	}
	// Page 1 of an empty source is a last page with no items.
	fetchPage := func(ctx context.Context, n int) (Page[int], error) {
		if _, err := suite.Op(ctx, suite.Spec{ID: fmt.Sprintf("page%d", n), Ticks: in.Fetch, Value: n}); err != nil {
			return Page[int]{}, err
		}
		page := Page[int]{Last: n >= in.Pages}
		if n <= in.Pages {
			for i := range in.PerPage {
				page.Items = append(page.Items, (n-1)*in.PerPage+1+i)
			}
		}
		return page, nil
	}
	values := []int{}
	release := func() { suite.Trace("released", nil) }
	for item, err := range Items(context.Background(), fetchPage, release) {
		if err != nil {
			return err
		}
		values = append(values, item)
		if len(values) == in.Take {
			break
		}
	}
	time.Sleep(suite.Ticks(in.Then)) // the consumer goes on for a while
	suite.Trace("result", suite.F{"values": values})
	return nil
}
