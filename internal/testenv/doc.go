// Package testenv is what tests share: a fresh store on either engine
// (SQLite in a temp dir, or a new schema of the PostgreSQL cluster that
// `make test` starts), a company with its admin and user, a local blob
// store, small images made at test time, the tools a test needs, and a
// replayable random seed. The rules for the test environment live here
// once; test packages add only what is their own.
//
// Environment:
//   - VITRINE_TEST_POSTGRES: a DSN of the test cluster; without it the
//     PostgreSQL half of EachEngine is skipped (and fails in strict mode).
//   - VITRINE_TEST_STRICT=1 (set by `make test` and .ci/run): a missing tool
//     or engine fails the test instead of skipping it.
//   - VITRINE_TEST_SEED: replays a randomised test with the seed it logged.
package testenv
