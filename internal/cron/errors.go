package cron

import "fmt"

// ParseError reports why a rule was rejected by [Parse]. Its message is meant
// to be shown to API and UI users as is.
type ParseError struct {
	// Field is the name of the offending field ("seconds", "minutes",
	// "hours", "day-of-month", "month", "day-of-week" or "year"), or empty
	// when the rule as a whole is malformed (for example a wrong field count).
	Field string
	// Value is the offending field text, or the whole rule when Field is empty.
	Value string
	// Reason explains what is wrong and, where possible, what is allowed.
	Reason string
}

// Error implements the error interface.
func (e *ParseError) Error() string {
	if e.Field == "" {
		return fmt.Sprintf("cron: invalid rule %q: %s", e.Value, e.Reason)
	}
	return fmt.Sprintf("cron: invalid %s %q: %s", e.Field, e.Value, e.Reason)
}
