// Package pagination streams pages from a goroutine over an unbuffered channel, stopped by context.
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
)

// Page is one fetched page: its items, and whether it is the last.
type Page[T any] struct {
	Items []T
	Last  bool
}

// Items sends the items of every page on the returned channel from a
// goroutine of its own, and closes it after the last page. The consumer
// stops it by cancelling ctx: the goroutine sees it at its next send or
// fetch, releases the source and closes the channel.
func Items[T any](ctx context.Context, fetchPage func(context.Context, int) (Page[T], error), release func()) <-chan T {
	out := make(chan T) // unbuffered: an item is fetched, then waits for the consumer
	go func() {
		defer close(out)
		defer release()
		for n := 1; ; n++ {
			page, err := fetchPage(ctx, n)
			if err != nil {
				return // cancelled, or the fetch failed
			}
			for _, item := range page.Items {
				select {
				case out <- item:
				case <-ctx.Done():
					return
				}
			}
			if page.Last {
				return
			}
		}
	}()
	return out
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
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	released := make(chan struct{})
	release := func() {
		suite.Trace("released", nil)
		close(released)
	}
	values := []int{}
	for item := range Items(ctx, fetchPage, release) {
		values = append(values, item)
		if len(values) == in.Take {
			cancel() // stop the producer: it releases the source and closes the channel
			break
		}
	}
	<-released
	time.Sleep(suite.Ticks(in.Then)) // the consumer goes on for a while
	suite.Trace("result", suite.F{"values": values})
	return nil
}
