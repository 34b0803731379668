module asyncsuite

go 1.23.0

require (
	golang.org/x/sync v0.16.0
	golang.org/x/time v0.12.0 // golang.org/x/time/rate, for rate-limiting snippets
)
