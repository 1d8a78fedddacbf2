"""Scanning (DESIGN §6): label payloads and their signatures, QR codes, label sheets, photo decoding."""

from scanning.decoding import decode

__all__ = ["decode"]
