"""Template tag libraries of the portal."""
