// Package edge is Vitrine's caching edge node (CDN-1) and the origin's side
// of invalidation (CDN-2..5).
//
// A Node sits in front of the delivery origin. It keeps responses in a
// byte-bounded memory tier and an optional bounded disk tier, fetches a
// miss from the origin once however many clients ask for it at the same
// moment, and follows the origin's cache headers: Cache-Control, ETag,
// Vary and the Xkey surrogate keys. Entries are indexed by surrogate key,
// by normalised URL and as a whole, which is what POST /_edge/purge
// removes; a purge also fences off every origin fetch that started before
// it, so nothing purged comes back from a request already in flight.
//
// On the origin, a Purger sends each purge to every edge, reports which
// edges confirmed, and drops the whole cache of an edge that missed a
// purge once it answers again. Package varnish drives a Varnish cache the
// same way, behind the Purgeable interface.
package edge
