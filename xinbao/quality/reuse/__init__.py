"""Reuse (抄袭/改头换面) detection: normalise, sample fingerprints, look candidates up, verify exactly."""
