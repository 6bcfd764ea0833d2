module authgear-migrate/scripts/format-oracle

// Go 1.23 or later: see the package comment in main.go (time.Parse zone-offset range checks).
go 1.23

require golang.org/x/text v0.7.0
