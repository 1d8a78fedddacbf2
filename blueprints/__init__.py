"""Pages and the JSON API; thin: parse input, call one domain function, render or return JSON."""
