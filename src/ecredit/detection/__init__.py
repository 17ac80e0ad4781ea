"""Detectors over the lake (C11): each reads lake datasets through an engine and yields findings."""
