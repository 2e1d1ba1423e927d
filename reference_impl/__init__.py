"""The reference H680 phone: a model of the firmware that behaves as the manual says."""
