package delivery

// ForgetAll drops every company's cached lookups: what a node does when it
// may have missed other nodes' changes (internal/cluster, after its
// listener reconnects).
func (h *Handler) ForgetAll() { h.lookups.dropAll() }
