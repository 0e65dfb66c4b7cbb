"""Uploaded images and files: checked by their content, stored through premier.storage,
attached by other domains (room galleries, menu photos, receipts, messages)."""
