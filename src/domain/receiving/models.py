"""Goods receipts (收货单): what arrived against a purchase order."""
