"""The website chat widget, its demo page and the small server that serves them."""
