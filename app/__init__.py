"""Amtsweg — an open-source digital Bürgeramt."""
