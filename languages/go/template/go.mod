module asyncsuite

go 1.25.0

require (
	golang.org/x/sync v0.22.0
	golang.org/x/time v0.15.0 // golang.org/x/time/rate, for rate-limiting snippets
)
