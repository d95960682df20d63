package delivery

// length returns the body length of the cached rendition of key without
// reading it or counting it as a use: req=props reports it as
// image.length.
func (c *renditionCache) length(key string) (int64, bool) {
	_, name := nameFor(key)
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.index[name]
	if !ok {
		return 0, false
	}
	r := el.Value.(*rendition)
	return r.size - int64(fileFixedSize+len(r.mime)), true
}
