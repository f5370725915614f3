"""Reconciliation (对账) for the back office: the serial register, the third copies, and the money."""
