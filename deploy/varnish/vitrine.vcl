# Varnish 7.x in front of the Vitrine delivery origin (CDN-5).
#
# Requires the xkey vmod (Debian: apt-get install varnish varnish-modules).
# The origin tags every delivery response with "Xkey: company/asset-key"
# (the asset id percent-encoded, so a key never holds a space or a comma:
# docs/edge.md); xkey indexes objects by it, so one purge drops every
# rendition and answer derived from an asset.
#
# Purges, accepted only from the purgers ACL:
#   PURGE /  with "xkey-purge: acme/shoe acme/boot"  every object tagged so
#   PURGE /is/image/acme/shoe?wid=100                 that URL, all variants
#   BAN /                                             everything
# The answer carries "X-Purged: n" for key purges.
vcl 4.1;

import std;
import xkey;

# The delivery origin. Edit to point at `vitrine serve`.
backend vitrine {
    .host = "127.0.0.1";
    .port = "8080";
    .connect_timeout = 2s;
    .first_byte_timeout = 60s;
    .between_bytes_timeout = 30s;
}

# Who may purge: the origin runs the purges, usually from the same host or
# a private network. Extend with the origin's address.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE" || req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (req.method == "BAN") {
            # obj.* only, so the ban lurker can clear objects in the
            # background instead of each lookup testing the ban.
            ban("obj.status != 0");
            return (synth(200, "Banned"));
        }
        if (req.http.xkey-purge) {
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
            return (synth(200, "Invalidated " + req.http.n-gone + " objects"));
        }
        # Same normalisation as lookups, so the hash matches.
        set req.url = std.querysort(req.url);
        return (purge);
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (synth(405, "Method not allowed"));
    }
    # The secure-preview host is reached directly, never through a cache:
    # the origin allow-lists client addresses, and behind a cache every
    # client would have the cache's address.
    if (req.url ~ "^/preview(/|$)") {
        return (synth(404, "Not served here"));
    }
    # Modifier order does not change a rendition; sorting it gives
    # equivalent URLs one object. (Vitrine's own edge also lower-cases
    # command names and drops comments; VCL keeps to what std can do.)
    set req.url = std.querysort(req.url);
    # Delivery is anonymous: cookies never change a rendition.
    unset req.http.Cookie;
    if (req.http.Authorization) {
        return (pass);
    }
    return (hash);
}

sub vcl_hash {
    # One site: the Host a client used does not change the object, and a
    # purge sent to 127.0.0.1 must find what cdn.example.com cached.
    hash_data(req.url);
    return (lookup);
}

sub vcl_purge {
    return (synth(200, "Purged"));
}

sub vcl_backend_response {
    # Errors and denials are never cached (DEL-2), whatever they say.
    if (beresp.status >= 400) {
        set beresp.ttl = 0s;
        set beresp.uncacheable = true;
        return (deliver);
    }
    # Without an explicit stale-while-revalidate, allow one minute of
    # grace; purges still remove objects outright (CDN-4).
    if (!beresp.http.Cache-Control ~ "stale-while-revalidate") {
        set beresp.grace = 1m;
    }
    return (deliver);
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}

sub vcl_synth {
    if (req.http.n-gone) {
        set resp.http.X-Purged = req.http.n-gone;
    }
}
