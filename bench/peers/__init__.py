"""Peers to measure Closeknit against: the bare relay floor and the Colyseus room."""
