module asyncsuite

go 1.22.0

require (
	golang.org/x/sync v0.11.0
	golang.org/x/time v0.10.0 // golang.org/x/time/rate, for rate-limiting snippets
)
